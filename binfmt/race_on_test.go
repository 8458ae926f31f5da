//go:build race

package binfmt

// raceEnabled: the race detector makes sync.Pool drop most items, so
// allocation bounds that rely on pooling do not hold.
const raceEnabled = true
