package web

import "github.com/go-chi/chi/v5"

// dataRoutes registers the JSON API, exports, citation formats, feeds, sitemap and robots.
func (s *Server) dataRoutes(r chi.Router) {}
