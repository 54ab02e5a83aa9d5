// unjpeg command-line entry point (placeholder until the CLI lands).
print("unjpeg")
