package web

// ForgetTexts empties the cache of sources' rendered texts, so a benchmark can measure a
// source page built from nothing but the database.
func (s *Server) ForgetTexts() { s.texts.forget() }
