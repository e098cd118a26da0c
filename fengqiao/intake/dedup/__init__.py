"""The labelled dispute set used to measure duplicate detection (bench and tests)."""
