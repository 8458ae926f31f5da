//go:build !race

package binfmt

const raceEnabled = false
