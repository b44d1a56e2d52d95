-- bench/uncached.lua: a wrk script that gives every request its own query string, which
-- Sourcebook's handlers ignore but its render cache keys on, so every request is rendered
-- from the database: the throughput of cache misses (after a publish, or for pages too
-- large to cache). Each wrk thread numbers its requests apart from the others.
local threads = 0
local n = 0
local prefix = ""

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  prefix = "?uncached=" .. (id or "0") .. "-"
end

function request()
  n = n + 1
  return wrk.format(nil, wrk.path .. prefix .. n)
end
