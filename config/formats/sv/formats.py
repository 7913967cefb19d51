# One date style per kind of value in the Swedish UI (Django's own Swedish formats fill the rest):
# running text and headings "2 februari 2026", tables and lists "2 feb 2026", with a time "2 feb 2026 09:00".
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j N Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
