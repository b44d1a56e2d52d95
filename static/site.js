// Sourcebook's few enhancements; every page works without them.
