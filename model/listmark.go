package model

// ListMarker is the length of the list-item marker that opens line, with
// the indentation before it and the spaces after it, or 0 when the line
// opens no list item. A marker is a bullet (-, + or *) or a number of up
// to nine digits with its delimiter (. or )), followed by a space, a tab
// or the end of the line, as CommonMark opens a list item. The runbook
// parser, the postmortem reader and the review screen all ask this one
// question, so they agree on what a list item is.
func ListMarker[T ~string | ~[]byte](line T) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	switch {
	case i == len(line):
		return 0
	case line[i] == '-' || line[i] == '+' || line[i] == '*':
		i++
	default:
		start := i
		for i < len(line) && i-start < 9 && line[i] >= '0' && line[i] <= '9' {
			i++
		}
		if i == start || i == len(line) || (line[i] != '.' && line[i] != ')') {
			return 0
		}
		i++
	}
	if i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '\n' && line[i] != '\r' {
		return 0
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i
}
