// PNGWriter module
