/* tc-infer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tc-infer.h"

static const double pow10_exact[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline gboolean
is_blank (unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims ASCII blanks and the UTF-8 no-break space (Excel pads with it). */
static void
trim (const char **s, const char **e)
{
  for (;;)
    {
      if (*s < *e && is_blank ((unsigned char) **s))
        (*s)++;
      else if (*e - *s >= 2 && (unsigned char) (*s)[0] == 0xc2 && (unsigned char) (*s)[1] == 0xa0)
        *s += 2;
      else
        break;
    }
  for (;;)
    {
      if (*e > *s && is_blank ((unsigned char) (*e)[-1]))
        (*e)--;
      else if (*e - *s >= 2 && (unsigned char) (*e)[-2] == 0xc2 && (unsigned char) (*e)[-1] == 0xa0)
        *e -= 2;
      else
        break;
    }
}

gboolean
tc_is_missing (const char *s, gsize len)
{
  static const char *const markers[] = {
    "na", "n/a", "null", "nan", "none", "nil", "-", "--", "#n/a", "#na", "?", "missing",
  };
  static const guint8 marker_len[] = { 2, 3, 4, 3, 4, 3, 1, 2, 4, 3, 1, 7 };
  const char *e = s + len;
  gsize n;

  trim (&s, &e);
  n = e - s;
  if (n == 0)
    return TRUE;
  /* Most cells are numbers: none of the markers starts with a digit. */
  if (n > 7 || g_ascii_isdigit (*s))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    if (marker_len[i] == n && g_ascii_strncasecmp (s, markers[i], n) == 0)
      return TRUE;
  return FALSE;
}

/* Currency symbols accepted around a number, UTF-8. */
static const char *const currencies[] = {
  "$", "\xe2\x82\xac" /* € */, "\xc2\xa3" /* £ */, "\xc2\xa5" /* ¥ */,
  "\xef\xbf\xa5" /* fullwidth ￥ */, "\xe5\x85\x83" /* 元 */,
};

static gsize
currency_prefix (const char *s, const char *e)
{
  if (s >= e || ((unsigned char) *s < 0x80 && *s != '$'))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      gsize n = strlen (currencies[i]);

      if ((gsize) (e - s) >= n && memcmp (s, currencies[i], n) == 0)
        return n;
    }
  return 0;
}

static gsize
currency_suffix (const char *s, const char *e)
{
  if (s >= e || ((unsigned char) e[-1] < 0x80 && e[-1] != '$'))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      gsize n = strlen (currencies[i]);

      if ((gsize) (e - s) >= n && memcmp (e - n, currencies[i], n) == 0)
        return n;
    }
  return 0;
}

gboolean
tc_parse_number (const char           *s,
                 gsize                 len,
                 const TcNumberFormat *fmt,
                 double               *out)
{
  const char *e = s + len, *p;
  gboolean neg = FALSE, sign_seen = FALSE, paren = FALSE, pct = FALSE;
  gboolean any_digit = FALSE, in_frac = FALSE, exact = TRUE;
  guint64 mant = 0;
  int sig = 0, exp10 = 0, group = -1;
  char dec = fmt ? fmt->decimal : '.';
  char thou = fmt ? fmt->thousands : 0;
  char clean[128];
  gsize nclean = 0;
  double v;

  /* Fast path for the common "-123.45": no blanks, symbols or separators. */
  {
    const char *q = s;
    gboolean fneg = FALSE;
    guint64 fm = 0;
    int fd = 0, fe = 0;

    if (q < e && *q == '-')
      fneg = TRUE, q++;
    while (q < e && *q >= '0' && *q <= '9' && fd < 16)
      fm = fm * 10 + (guint64) (*q++ - '0'), fd++;
    if (q < e && *q == dec)
      {
        q++;
        while (q < e && *q >= '0' && *q <= '9' && fd < 16)
          fm = fm * 10 + (guint64) (*q++ - '0'), fd++, fe++;
      }
    if (q == e && fd > 0 && fd <= 15 && (q[-1] != dec))
      {
        v = (double) fm / pow10_exact[fe];
        *out = fneg ? -v : v;
        return TRUE;
      }
  }

  trim (&s, &e);
  /* Prefixes: sign, accounting parenthesis, currency, in any order. */
  for (;;)
    {
      gsize n;

      if (s < e && (*s == '-' || *s == '+') && !sign_seen)
        {
          neg = *s == '-';
          sign_seen = TRUE;
          s++;
        }
      else if (s < e && *s == '(' && !paren && !sign_seen)
        {
          paren = TRUE;
          s++;
        }
      else if ((n = currency_prefix (s, e)) > 0)
        s += n;
      else
        break;
      while (s < e && *s == ' ')
        s++;
    }
  for (;;)
    {
      gsize n;

      if (e > s && e[-1] == '%' && !pct)
        {
          pct = TRUE;
          e--;
        }
      else if (e > s && e[-1] == ')' && paren)
        {
          paren = FALSE;
          neg = TRUE;
          e--;
        }
      else if ((n = currency_suffix (s, e)) > 0)
        e -= n;
      else
        break;
      while (e > s && e[-1] == ' ')
        e--;
    }
  if (paren || s >= e)
    return FALSE;

  if (neg)
    clean[nclean++] = '-';
  for (p = s; p < e; p++)
    {
      char c = *p;

      if (c >= '0' && c <= '9')
        {
          any_digit = TRUE;
          if (group >= 0)
            group++;
          if (mant == 0 && c == '0')
            {
              if (in_frac)
                exp10--;
            }
          else if (sig < 19)
            {
              mant = mant * 10 + (guint64) (c - '0');
              sig++;
              if (in_frac)
                exp10--;
            }
          else
            {
              exact = FALSE;
              if (!in_frac)
                exp10++;
            }
          if (nclean < sizeof clean - 8)
            clean[nclean++] = c;
          else
            return FALSE;
        }
      else if (c == dec && !in_frac)
        {
          if (group >= 0 && group != 3)
            return FALSE;
          group = -1;
          in_frac = TRUE;
          clean[nclean++] = '.';
        }
      else if (thou != 0 && c == thou && !in_frac)
        {
          /* A separator needs digits before it and exactly three after. */
          if (!any_digit || (group >= 0 && group != 3))
            return FALSE;
          group = 0;
        }
      else if ((c == 'e' || c == 'E') && dec == '.' && any_digit && p + 1 < e)
        {
          const char *q = p + 1;
          gboolean eneg = FALSE;
          int ev = 0, nd = 0;

          if (group >= 0 && group != 3)
            return FALSE;
          if (*q == '+' || *q == '-')
            eneg = *q++ == '-';
          for (; q < e && *q >= '0' && *q <= '9' && nd < 5; q++, nd++)
            ev = ev * 10 + (*q - '0');
          if (nd == 0 || q != e)
            return FALSE;
          exp10 += eneg ? -ev : ev;
          nclean += g_snprintf (clean + nclean, sizeof clean - nclean, "e%c%d", eneg ? '-' : '+', ev);
          group = -1;
          p = e - 1;
        }
      else
        return FALSE;
    }
  if (!any_digit || (group >= 0 && group != 3))
    return FALSE;
  if (pct)
    exp10 -= 2;

  /* Clinger's fast path: both operands exact, so one rounding. */
  if (exact && sig <= 15 && exp10 >= -22 && exp10 <= 22)
    {
      v = (double) mant;
      v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
      *out = neg ? -v : v;
      return TRUE;
    }
  if (nclean >= sizeof clean - 8)
    return FALSE;
  if (pct)
    nclean += g_snprintf (clean + nclean, sizeof clean - nclean, "e-2");
  clean[nclean] = '\0';
  /* "1e5e-2" is not a thing: a percent with an exponent goes the slow way. */
  if (pct && strchr (clean, 'e') != strrchr (clean, 'e'))
    {
      v = g_ascii_strtod (clean, NULL);
      *out = v / 100;
      return isfinite (*out);
    }
  v = g_ascii_strtod (clean, NULL);
  if (!isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
tc_parse_bool (const char *s,
               gsize       len,
               gboolean    strict_words,
               double     *out)
{
  static const char *const yes[] = { "yes", "true", "y", "t", "\xe6\x98\xaf" /* 是 */, "on" };
  static const char *const no[] = { "no", "false", "n", "f", "\xe5\x90\xa6" /* 否 */, "off" };
  const char *e = s + len;
  gsize n;

  trim (&s, &e);
  n = e - s;
  if (!strict_words && n == 1 && (*s == '0' || *s == '1'))
    {
      *out = *s == '1';
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (strlen (yes[i]) == n && g_ascii_strncasecmp (s, yes[i], n) == 0)
        {
          *out = 1;
          return TRUE;
        }
      if (strlen (no[i]) == n && g_ascii_strncasecmp (s, no[i], n) == 0)
        {
          *out = 0;
          return TRUE;
        }
    }
  return FALSE;
}

gint64
tc_days_from_civil (int y, int m, int d)
{
  /* Howard Hinnant's algorithm. */
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void
tc_civil_from_days (gint64 z, int *y, int *m, int *d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int) (doy - (153 * mp + 2) / 5 + 1);
  *m = (int) (mp < 10 ? mp + 3 : mp - 9);
  *y = (int) (yoe + era * 400 + (*m <= 2));
}

static int
days_in_month (int y, int m)
{
  static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

static int
read_int (const char **p, const char *e, int max_digits, int *val)
{
  int n = 0, v = 0;

  while (*p < e && **p >= '0' && **p <= '9' && n < max_digits)
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  *val = v;
  return n;
}

static gboolean
eat (const char **p, const char *e, const char *lit)
{
  gsize n = strlen (lit);

  if ((gsize) (e - *p) >= n && memcmp (*p, lit, n) == 0)
    {
      *p += n;
      return TRUE;
    }
  return FALSE;
}

/* An optional time after a date: [ T]H:MM[:SS[.fff]][Z]. */
static gboolean
parse_time (const char **p, const char *e, int *secs, gboolean *has_time)
{
  int h, mi, sc = 0;

  *secs = 0;
  *has_time = FALSE;
  if (*p == e)
    return TRUE;
  if (**p != ' ' && **p != 'T')
    return FALSE;
  (*p)++;
  while (*p < e && **p == ' ')
    (*p)++;
  if (read_int (p, e, 2, &h) == 0 || !eat (p, e, ":") || read_int (p, e, 2, &mi) != 2)
    return FALSE;
  if (eat (p, e, ":"))
    {
      if (read_int (p, e, 2, &sc) != 2)
        return FALSE;
      if (eat (p, e, "."))
        {
          int frac;

          if (read_int (p, e, 9, &frac) == 0)
            return FALSE;
        }
    }
  eat (p, e, "Z");
  if (*p != e || h > 23 || mi > 59 || sc > 60)
    return FALSE;
  *secs = h * 3600 + mi * 60 + sc;
  *has_time = TRUE;
  return TRUE;
}

static gboolean
valid_ymd (int y, int m, int d)
{
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month (y, m);
}

gboolean
tc_parse_date (const char  *s,
               gsize        len,
               TcDateOrder  order,
               gint64      *out_unix,
               TcDateInfo  *info)
{
  const char *e = s + len, *p;
  int n1, v1, v2, v3, secs = 0;
  gboolean has_time = FALSE;
  TcDateInfo dummy;

  if (info == NULL)
    info = &dummy;
  memset (info, 0, sizeof *info);
  trim (&s, &e);
  p = s;
  n1 = read_int (&p, e, 4, &v1);
  if (n1 == 4 && p < e)
    {
      /* Year first. */
      char sep = *p;
      int y = v1, m, d = 1;

      if (sep == 'W' || (sep == '-' && p + 1 < e && p[1] == 'W'))
        {
          int w, wd = 1;
          gint64 jan4, monday;

          p += sep == 'W' ? 1 : 2;
          if (read_int (&p, e, 2, &w) != 2 || w < 1 || w > 53)
            return FALSE;
          if (p < e && (*p == '-' || (*p >= '1' && *p <= '7')))
            {
              eat (&p, e, "-");
              if (read_int (&p, e, 1, &wd) != 1 || wd < 1 || wd > 7)
                return FALSE;
            }
          if (p != e)
            return FALSE;
          jan4 = tc_days_from_civil (y, 1, 4);
          monday = jan4 - ((jan4 + 3) % 7 + 7) % 7;
          *out_unix = (monday + (gint64) (w - 1) * 7 + (wd - 1)) * 86400;
          info->shape = TC_DATE_SHAPE_WEEK;
          return TRUE;
        }
      if (sep == 'Q' || (sep == '-' && p + 1 < e && p[1] == 'Q'))
        {
          int q;

          p += sep == 'Q' ? 1 : 2;
          if (read_int (&p, e, 1, &q) != 1 || q < 1 || q > 4 || p != e)
            return FALSE;
          *out_unix = tc_days_from_civil (y, (q - 1) * 3 + 1, 1) * 86400;
          info->shape = TC_DATE_SHAPE_QUARTER;
          return TRUE;
        }
      if (eat (&p, e, "\xe5\xb9\xb4")) /* 年 */
        {
          info->cjk = TRUE;
          if (read_int (&p, e, 2, &m) == 0 || !eat (&p, e, "\xe6\x9c\x88")) /* 月 */
            return FALSE;
          if (p == e)
            {
              if (!valid_ymd (y, m, 1))
                return FALSE;
              *out_unix = tc_days_from_civil (y, m, 1) * 86400;
              info->shape = TC_DATE_SHAPE_YM;
              return TRUE;
            }
          if (read_int (&p, e, 2, &d) == 0)
            return FALSE;
          eat (&p, e, "\xe6\x97\xa5"); /* 日 */
          if (!parse_time (&p, e, &secs, &has_time) || !valid_ymd (y, m, d))
            return FALSE;
          *out_unix = tc_days_from_civil (y, m, d) * 86400 + secs;
          info->shape = TC_DATE_SHAPE_YMD;
          info->has_time = has_time;
          return TRUE;
        }
      if (sep != '-' && sep != '/' && sep != '.')
        return FALSE;
      p++;
      if (read_int (&p, e, 2, &m) == 0)
        return FALSE;
      if (p == e)
        {
          if (!valid_ymd (y, m, 1))
            return FALSE;
          *out_unix = tc_days_from_civil (y, m, 1) * 86400;
          info->shape = TC_DATE_SHAPE_YM;
          return TRUE;
        }
      if (*p != sep)
        return FALSE;
      p++;
      if (read_int (&p, e, 2, &d) == 0)
        return FALSE;
      if (!parse_time (&p, e, &secs, &has_time) || !valid_ymd (y, m, d))
        return FALSE;
      *out_unix = tc_days_from_civil (y, m, d) * 86400 + secs;
      info->shape = TC_DATE_SHAPE_YMD;
      info->has_time = has_time;
      return TRUE;
    }
  if ((n1 == 1 || n1 == 2) && p < e && (*p == '.' || *p == '/' || *p == '-'))
    {
      char sep = *p++;
      int y, m, d;

      if (read_int (&p, e, 2, &v2) == 0 || p >= e || *p != sep)
        return FALSE;
      p++;
      if (read_int (&p, e, 4, &v3) != 4)
        return FALSE;
      if (!parse_time (&p, e, &secs, &has_time))
        return FALSE;
      y = v3;
      if (sep == '.')
        {
          d = v1;
          m = v2;
          info->shape = TC_DATE_SHAPE_DMY_DOT;
        }
      else
        {
          info->shape = TC_DATE_SHAPE_AMBIGUOUS;
          info->a = v1;
          info->b = v2;
          if (order == TC_DATE_ORDER_DAY_FIRST)
            {
              d = v1;
              m = v2;
            }
          else
            {
              m = v1;
              d = v2;
            }
        }
      if (!valid_ymd (y, m, d))
        return FALSE;
      info->has_time = has_time;
      *out_unix = tc_days_from_civil (y, m, d) * 86400 + secs;
      return TRUE;
    }
  return FALSE;
}

const char *
tc_date_shape_describe (TcDateShape shape,
                        TcDateOrder order,
                        gboolean    has_time)
{
  switch (shape)
    {
    case TC_DATE_SHAPE_YMD:       return has_time ? "YYYY-MM-DD HH:MM" : "YYYY-MM-DD";
    case TC_DATE_SHAPE_DMY_DOT:   return has_time ? "DD.MM.YYYY HH:MM" : "DD.MM.YYYY";
    case TC_DATE_SHAPE_AMBIGUOUS:
      if (order == TC_DATE_ORDER_DAY_FIRST)
        return has_time ? "DD/MM/YYYY HH:MM" : "DD/MM/YYYY";
      return has_time ? "MM/DD/YYYY HH:MM" : "MM/DD/YYYY";
    case TC_DATE_SHAPE_YM:        return "YYYY-MM";
    case TC_DATE_SHAPE_WEEK:      return "YYYY-Www (ISO week)";
    case TC_DATE_SHAPE_QUARTER:   return "YYYY-Qn";
    case TC_DATE_SHAPE_NONE:
    default:                      return "unknown";
    }
}

/* ---- roles from header names ---- */

typedef struct
{
  const char      *word;
  gboolean         substring;  /* match anywhere (long or CJK words), else a whole token */
  TcColumnRole     role;
  TcCovariateKind  kind;
} RoleWord;

/* Checked in order: the first match wins, so "unit_price" is a price
 * and "store_type" a static attribute, not a series id. */
static const RoleWord role_words[] = {
  { "review", TRUE, TC_ROLE_TEXT, 0 },
  { "comment", TRUE, TC_ROLE_TEXT, 0 },
  { "text", FALSE, TC_ROLE_TEXT, 0 },
  { "\xe8\xaf\x84\xe8\xae\xba", TRUE, TC_ROLE_TEXT, 0 },       /* 评论 */
  { "\xe8\xaf\x84\xe4\xbb\xb7", TRUE, TC_ROLE_TEXT, 0 },       /* 评价 */
  { "\xe7\x95\x99\xe8\xa8\x80", TRUE, TC_ROLE_TEXT, 0 },       /* 留言 */
  { "date", TRUE, TC_ROLE_DATE, 0 },
  { "time", FALSE, TC_ROLE_DATE, 0 },
  { "timestamp", TRUE, TC_ROLE_DATE, 0 },
  { "ds", FALSE, TC_ROLE_DATE, 0 },
  { "day", FALSE, TC_ROLE_DATE, 0 },
  { "week", FALSE, TC_ROLE_DATE, 0 },
  { "month", FALSE, TC_ROLE_DATE, 0 },
  { "quarter", FALSE, TC_ROLE_DATE, 0 },
  { "year", FALSE, TC_ROLE_DATE, 0 },
  { "period", FALSE, TC_ROLE_DATE, 0 },
  { "\xe6\x97\xa5\xe6\x9c\x9f", TRUE, TC_ROLE_DATE, 0 },       /* 日期 */
  { "\xe6\x97\xb6\xe9\x97\xb4", TRUE, TC_ROLE_DATE, 0 },       /* 时间 */
  { "\xe5\xb9\xb4\xe6\x9c\x88", TRUE, TC_ROLE_DATE, 0 },       /* 年月 */
  { "\xe6\x9c\x88\xe4\xbb\xbd", TRUE, TC_ROLE_DATE, 0 },       /* 月份 */
  { "\xe5\x91\xa8", TRUE, TC_ROLE_DATE, 0 },                   /* 周 */
  /* A competitor's price is known but not the item's own price: the
   * scenarios' revenue and the price feature must not take it for that. */
  { "competitor", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_OTHER },
  { "rival", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_OTHER },
  { "\xe7\xab\x9e\xe5\x93\x81", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_OTHER },  /* 竞品 */
  { "\xe5\xaf\xb9\xe6\x89\x8b", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_OTHER },  /* 对手 */
  { "price", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PRICE },
  { "\xe4\xbb\xb7\xe6\xa0\xbc", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PRICE },  /* 价格 */
  { "\xe5\x8d\x95\xe4\xbb\xb7", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PRICE },  /* 单价 */
  { "\xe5\x94\xae\xe4\xbb\xb7", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PRICE },  /* 售价 */
  { "discount", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_DISCOUNT },
  { "markdown", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_DISCOUNT },
  { "coupon", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_DISCOUNT },
  { "\xe6\x8a\x98\xe6\x89\xa3", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_DISCOUNT }, /* 折扣 */
  { "\xe4\xbc\x98\xe6\x83\xa0", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_DISCOUNT }, /* 优惠 */
  { "promo", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "campaign", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "deal", FALSE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "feature", FALSE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "display", FALSE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "\xe4\xbf\x83\xe9\x94\x80", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION }, /* 促销 */
  { "\xe6\xb4\xbb\xe5\x8a\xa8", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION }, /* 活动 */
  { "holiday", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_HOLIDAY },
  { "event", FALSE, TC_ROLE_KNOWN, TC_COVARIATE_HOLIDAY },
  { "\xe8\x8a\x82\xe5\x81\x87\xe6\x97\xa5", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_HOLIDAY }, /* 节假日 */
  { "\xe5\x81\x87\xe6\x97\xa5", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_HOLIDAY },  /* 假日 */
  { "\xe8\x8a\x82\xe6\x97\xa5", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_HOLIDAY },  /* 节日 */
  /* Before "sale": the number of sale signs (Dominick's NSALE), items on sale. */
  { "nsale", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "on_sale", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "on sale", TRUE, TC_ROLE_KNOWN, TC_COVARIATE_PROMOTION },
  { "sales", TRUE, TC_ROLE_TARGET, 0 },
  { "sale", FALSE, TC_ROLE_TARGET, 0 },
  { "units", FALSE, TC_ROLE_TARGET, 0 },
  { "qty", FALSE, TC_ROLE_TARGET, 0 },
  { "quantity", TRUE, TC_ROLE_TARGET, 0 },
  { "demand", TRUE, TC_ROLE_TARGET, 0 },
  { "volume", FALSE, TC_ROLE_TARGET, 0 },
  { "revenue", TRUE, TC_ROLE_TARGET, 0 },
  { "move", FALSE, TC_ROLE_TARGET, 0 },
  { "sold", FALSE, TC_ROLE_TARGET, 0 },
  { "orders", FALSE, TC_ROLE_TARGET, 0 },
  { "y", FALSE, TC_ROLE_TARGET, 0 },
  { "value", FALSE, TC_ROLE_TARGET, 0 },
  { "\xe9\x94\x80\xe9\x87\x8f", TRUE, TC_ROLE_TARGET, 0 },     /* 销量 */
  { "\xe9\x94\x80\xe5\x94\xae\xe9\xa2\x9d", TRUE, TC_ROLE_TARGET, 0 }, /* 销售额 */
  { "\xe6\x95\xb0\xe9\x87\x8f", TRUE, TC_ROLE_TARGET, 0 },     /* 数量 */
  { "\xe9\x9c\x80\xe6\xb1\x82", TRUE, TC_ROLE_TARGET, 0 },     /* 需求 */
  { "\xe4\xbb\xb6\xe6\x95\xb0", TRUE, TC_ROLE_TARGET, 0 },     /* 件数 */
  { "traffic", TRUE, TC_ROLE_OBSERVED, 0 },
  { "visit", TRUE, TC_ROLE_OBSERVED, 0 },
  { "session", TRUE, TC_ROLE_OBSERVED, 0 },
  { "pageview", TRUE, TC_ROLE_OBSERVED, 0 },
  { "views", FALSE, TC_ROLE_OBSERVED, 0 },
  { "clicks", FALSE, TC_ROLE_OBSERVED, 0 },
  { "rating", TRUE, TC_ROLE_OBSERVED, 0 },
  { "score", FALSE, TC_ROLE_OBSERVED, 0 },
  { "\xe6\xb5\x81\xe9\x87\x8f", TRUE, TC_ROLE_OBSERVED, 0 },   /* 流量 */
  { "\xe8\xae\xbf\xe5\xae\xa2", TRUE, TC_ROLE_OBSERVED, 0 },   /* 访客 */
  { "\xe6\xb5\x8f\xe8\xa7\x88", TRUE, TC_ROLE_OBSERVED, 0 },   /* 浏览 */
  { "\xe7\x82\xb9\xe5\x87\xbb", TRUE, TC_ROLE_OBSERVED, 0 },   /* 点击 */
  { "\xe8\xaf\x84\xe5\x88\x86", TRUE, TC_ROLE_OBSERVED, 0 },   /* 评分 */
  { "category", TRUE, TC_ROLE_STATIC, 0 },
  { "brand", TRUE, TC_ROLE_STATIC, 0 },
  { "region", TRUE, TC_ROLE_STATIC, 0 },
  { "city", FALSE, TC_ROLE_STATIC, 0 },
  { "segment", TRUE, TC_ROLE_STATIC, 0 },
  { "type", FALSE, TC_ROLE_STATIC, 0 },
  { "class", FALSE, TC_ROLE_STATIC, 0 },
  { "family", FALSE, TC_ROLE_STATIC, 0 },
  { "group", FALSE, TC_ROLE_STATIC, 0 },
  { "\xe7\xb1\xbb\xe7\x9b\xae", TRUE, TC_ROLE_STATIC, 0 },     /* 类目 */
  { "\xe5\x93\x81\xe7\xb1\xbb", TRUE, TC_ROLE_STATIC, 0 },     /* 品类 */
  { "\xe5\x93\x81\xe7\x89\x8c", TRUE, TC_ROLE_STATIC, 0 },     /* 品牌 */
  { "\xe7\xb1\xbb\xe5\x88\xab", TRUE, TC_ROLE_STATIC, 0 },     /* 类别 */
  { "\xe5\x88\x86\xe7\xb1\xbb", TRUE, TC_ROLE_STATIC, 0 },     /* 分类 */
  { "\xe5\x9c\xb0\xe5\x8c\xba", TRUE, TC_ROLE_STATIC, 0 },     /* 地区 */
  { "\xe5\x9f\x8e\xe5\xb8\x82", TRUE, TC_ROLE_STATIC, 0 },     /* 城市 */
  { "sku", TRUE, TC_ROLE_SERIES_ID, 0 },
  { "item", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "product", TRUE, TC_ROLE_SERIES_ID, 0 },
  { "store", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "shop", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "id", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "dept", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "series", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "code", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "upc", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "asin", FALSE, TC_ROLE_SERIES_ID, 0 },
  { "\xe5\x95\x86\xe5\x93\x81", TRUE, TC_ROLE_SERIES_ID, 0 },  /* 商品 */
  { "\xe9\x97\xa8\xe5\xba\x97", TRUE, TC_ROLE_SERIES_ID, 0 },  /* 门店 */
  { "\xe5\xba\x97\xe9\x93\xba", TRUE, TC_ROLE_SERIES_ID, 0 },  /* 店铺 */
  { "\xe7\xbc\x96\xe5\x8f\xb7", TRUE, TC_ROLE_SERIES_ID, 0 },  /* 编号 */
  { "\xe8\xb4\xa7\xe5\x8f\xb7", TRUE, TC_ROLE_SERIES_ID, 0 },  /* 货号 */
  { "\xe7\xbc\x96\xe7\xa0\x81", TRUE, TC_ROLE_SERIES_ID, 0 },  /* 编码 */
};

/* Splits "StoreID", "store_id", "store id" into lower-case tokens. */
static char **
tokenize (const char *name)
{
  GPtrArray *tokens = g_ptr_array_new ();
  GString *cur = g_string_new (NULL);

  for (const char *p = name; ; p++)
    {
      char c = *p;
      gboolean alnum = g_ascii_isalnum (c);
      gboolean boundary = !alnum
        || (cur->len > 0 && g_ascii_isupper (c) && g_ascii_islower (p[-1]));

      if (boundary && cur->len > 0)
        {
          g_ptr_array_add (tokens, g_string_free (g_steal_pointer (&cur), FALSE));
          cur = g_string_new (NULL);
        }
      if (c == '\0')
        break;
      if (alnum)
        g_string_append_c (cur, g_ascii_tolower (c));
    }
  g_string_free (cur, TRUE);
  g_ptr_array_add (tokens, NULL);
  return (char **) g_ptr_array_free (tokens, FALSE);
}

TcColumnRole
tc_suggest_role (const char      *name,
                 TcCovariateKind *kind)
{
  g_auto (GStrv) tokens = tokenize (name);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (kind)
    *kind = TC_COVARIATE_OTHER;
  for (guint i = 0; i < G_N_ELEMENTS (role_words); i++)
    {
      const RoleWord *w = &role_words[i];
      gboolean hit = FALSE;

      if (w->substring)
        hit = strstr (lower, w->word) != NULL;
      else
        for (guint t = 0; tokens[t] && !hit; t++)
          hit = strcmp (tokens[t], w->word) == 0;
      if (hit)
        {
          if (kind)
            *kind = w->kind;
          return w->role;
        }
    }
  return TC_ROLE_IGNORE;
}

gboolean
tc_name_suggests_freq (const char  *name,
                       TcFrequency *freq)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (strstr (lower, "week") || strstr (name, "\xe5\x91\xa8"))
    *freq = TC_FREQ_WEEKLY;
  else if (strstr (lower, "month") || strstr (name, "\xe6\x9c\x88"))
    *freq = TC_FREQ_MONTHLY;
  else if (strstr (lower, "quarter") || strstr (name, "\xe5\xad\xa3"))
    *freq = TC_FREQ_QUARTERLY;
  else if (strstr (lower, "year") || strstr (name, "\xe5\xb9\xb4"))
    *freq = TC_FREQ_YEARLY;
  else if (strstr (lower, "hour") || strstr (name, "\xe6\x97\xb6"))
    *freq = TC_FREQ_HOURLY;
  else if (strstr (lower, "day") || strstr (name, "\xe6\x97\xa5") || strstr (lower, "date"))
    *freq = TC_FREQ_DAILY;
  else
    return FALSE;
  return TRUE;
}
