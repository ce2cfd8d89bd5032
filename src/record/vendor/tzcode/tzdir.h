#ifndef TZDEFAULT
# define TZDEFAULT "/etc/localtime" /* default zone */
#endif
#ifndef TZDIR
# define TZDIR "/usr/share/zoneinfo" /* TZif directory */
#endif
