// PNGReader module
