// The one SplitMix64 (in Net, where it also seeds `RandomGenerator`), for every test target:
// random test data is the same on every run and in every target.
@_exported import struct Net.SplitMix64
