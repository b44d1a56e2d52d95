package web

import (
	"encoding/csv"
	"io"
)

// CSV files are downloaded as attachments and opened in spreadsheets, which run a cell that
// begins with =, +, - or @ (or a tab or carriage return before one) as a formula: an actor
// named =HYPERLINK("http://evil") becomes a link, =cmd|' /C calc'!A0 a command. As OWASP
// advises, such a cell is written with a leading apostrophe, which spreadsheets take as
// "this is text" and do not show. Only the CSV files do this; the JSON and SQLite exports
// keep every value as it is.
type spreadsheetCSV struct{ w *csv.Writer }

func newSpreadsheetCSV(w io.Writer) spreadsheetCSV { return spreadsheetCSV{csv.NewWriter(w)} }

// Write writes one row, each cell made safe to open.
func (s spreadsheetCSV) Write(row []string) error {
	safe := make([]string, len(row))
	for i, cell := range row {
		safe[i] = inertCell(cell)
	}
	return s.w.Write(safe)
}

// Flush writes out what is buffered and reports the first error of any write.
func (s spreadsheetCSV) Flush() error {
	s.w.Flush()
	return s.w.Error()
}

// inertCell is a cell as a spreadsheet will show it but never run it.
func inertCell(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
