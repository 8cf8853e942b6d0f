# Spanish figures as the partners in Latin America write them, 1.234,5 (Django's own Spanish format
# groups with a space). Only these two; everything else comes from Django's es formats.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
