// Cleaner module
