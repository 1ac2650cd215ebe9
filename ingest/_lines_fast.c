/* The per-character loops of ingest/pdf_chars.py (dedupe_chars, group_lines, _make_line), in C.

   After the pdfium reader moved to C, building lines from the character dicts was the largest
   part of reading a PDF, and nearly all of it was Python's per-character overhead. This module
   makes the same decisions with the same float operations in the same order (built with
   -ffp-contract=off, see setup.py); the Python functions stay the reference and the fallback
   (tests/ingest/test_lines_fast.py compares the two).

   Whatever this module does not take exactly as the Python path would, it does not try to
   imitate: a page whose characters are not plain dicts with str texts and font names and float
   numbers, or where Python's behaviour depends on NaN (sorting, dict keys) or raises (round()
   of an infinite size), gets None back, and the caller runs the Python function on it. The
   regular expression, the width class of a new character, clean_line, font_family and the
   Line dataclass are Python's own, called from here (configure()). The GIL is held throughout. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <string.h>

/* dict keys, interned once */
static PyObject *k_text, *k_size, *k_upright, *k_x0, *k_x1, *k_fontname, *k_top, *k_bottom,
    *k_doctop;
static PyObject *s_space, *s_empty;     /* " " and "" */

/* from configure(): pdf_chars' own rules */
static PyObject *label_match;   /* _LABEL.match */
static Py_ssize_t label_max;    /* _LABEL_MAX */
static PyObject *wide_cache;    /* _WIDE: dict str -> bool */
static PyObject *wide_func;     /* _wide(ch) -> bool, fills _WIDE */
static PyObject *clean_line;
static PyObject *font_family;
static PyObject *line_type;     /* Line */
static PyObject *line_kwnames;  /* Line's fields, for a keyword call */
static int configured = 0;

/* the width class of a BMP character once asked: 0 not yet, 1 narrow, 2 wide */
static unsigned char wide_bmp[0x10000];

/* ---------------------------------------------------------------------- shared helpers */

/* A stable sort of items by (k1, k2): no NaN reaches it, so `<` on the doubles orders them
   as Python's `<` on the floats (and on (top, x0) tuples) does, and -0.0 ties with 0.0. A
   merge sort that skips merging halves already in order: characters mostly come in reading
   order, which then costs one comparison per half. */
typedef struct {
    double k1, k2;
    Py_ssize_t idx;
} sort_item;

static inline int
before(const sort_item *a, const sort_item *b)
{
    return a->k1 < b->k1 || (a->k1 == b->k1 && a->k2 < b->k2);
}

static void
stable_sort(sort_item *a, sort_item *tmp, Py_ssize_t n)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (Py_ssize_t i = 1; i < n; i++) {
            sort_item x = a[i];
            Py_ssize_t j = i;
            while (j > 0 && before(&x, &a[j - 1])) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
        return;
    }
    Py_ssize_t h = n / 2;
    stable_sort(a, tmp, h);
    stable_sort(a + h, tmp, n - h);
    if (!before(&a[h], &a[h - 1]))
        return;
    memcpy(tmp, a, (size_t)h * sizeof(sort_item));
    Py_ssize_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (before(&a[j], &tmp[i]))     /* the left one first on a tie: stable */
            a[k++] = a[j++];
        else
            a[k++] = tmp[i++];
    }
    while (i < h)
        a[k++] = tmp[i++];
}

/* chars as a list or tuple (anything else might be an iterator the fallback still needs);
   NULL without an error: not taken here */
static PyObject *
as_sequence(PyObject *chars)
{
    if (!PyList_Check(chars) && !PyTuple_Check(chars))
        return NULL;
    return PySequence_Fast(chars, "");
}

/* An exact float value of the dict. 1: read; 0: missing or not an exact float; -1: error */
static inline int
get_float(PyObject *d, PyObject *key, double *out, PyObject **obj)
{
    PyObject *v = PyDict_GetItemWithError(d, key);
    if (v == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyFloat_CheckExact(v))
        return 0;
    *out = PyFloat_AS_DOUBLE(v);
    if (obj != NULL)
        *obj = v;
    return 1;
}

/* An exact str value of the dict, same returns */
static inline int
get_str(PyObject *d, PyObject *key, PyObject **out)
{
    PyObject *v = PyDict_GetItemWithError(d, key);
    if (v == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyUnicode_CheckExact(v))
        return 0;
    *out = v;
    return 1;
}

static inline int
same_str(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    if (PyUnicode_GET_LENGTH(a) != PyUnicode_GET_LENGTH(b))
        return 0;
    return PyUnicode_Compare(a, b) == 0;   /* two exact str: cannot fail */
}

/* ---------------------------------------------------------------------- dedupe_chars */

typedef struct {
    PyObject *dict, *text, *font;   /* owned */
    PyObject *upright;              /* Py_True or Py_False */
    double size, doctop, x0;
    Py_hash_t hash;
} dchar;

static Py_hash_t
hash_double(double v)
{
    if (v == 0.0)
        v = 0.0;        /* -0.0 is the same key */
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (Py_hash_t)(bits ^ (bits >> 29));
}

/* 1: every character read; 0: one the Python path must see; -1: error */
static int
read_dchars(PyObject *seq, dchar *rows, Py_ssize_t n)
{
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = items[i];
        dchar *r = &rows[i];
        if (!PyDict_CheckExact(d))
            return 0;
        PyObject *upright = PyDict_GetItemWithError(d, k_upright);
        if (upright == NULL)
            return PyErr_Occurred() ? -1 : 0;
        if (upright != Py_True && upright != Py_False)
            return 0;
        PyObject *text, *font;
        int ok = get_str(d, k_text, &text);
        if (ok == 1)
            ok = get_str(d, k_fontname, &font);
        if (ok == 1)
            ok = get_float(d, k_size, &r->size, NULL);
        if (ok == 1)
            ok = get_float(d, k_doctop, &r->doctop, NULL);
        if (ok == 1)
            ok = get_float(d, k_x0, &r->x0, NULL);
        if (ok != 1)
            return ok;
        /* NaN: a dict key only equal to itself, and an order sorted() gives by its algorithm */
        if (isnan(r->size) || isnan(r->doctop) || isnan(r->x0))
            return 0;
        Py_hash_t ht = PyObject_Hash(text), hf = PyObject_Hash(font);
        if (ht == -1 || hf == -1)
            return -1;
        r->dict = Py_NewRef(d);
        r->text = Py_NewRef(text);
        r->font = Py_NewRef(font);
        r->upright = upright;
        Py_uhash_t h = (Py_uhash_t)ht;
        h = h * 1000003U ^ (Py_uhash_t)hf;
        h = h * 1000003U ^ (Py_uhash_t)hash_double(r->size);
        h = h * 1000003U ^ (upright == Py_True);
        r->hash = (Py_hash_t)h;
    }
    return 1;
}

static inline int
same_key(const dchar *a, const dchar *b)
{
    return a->hash == b->hash && a->upright == b->upright && a->size == b->size
        && same_str(a->text, b->text) && same_str(a->font, b->font);
}

/* dedupe_chars' clustering of one group (members ascending): marks `dropped`, adds to
   `fake_bold`. 0 or -1 on error. */
static int
dedupe_group(const dchar *rows, const Py_ssize_t *members, Py_ssize_t m, double tolerance,
             sort_item *by_y, sort_item *by_x, sort_item *tmp, char *dropped, PyObject *fake_bold)
{
    for (Py_ssize_t k = 0; k < m; k++) {
        by_y[k].k1 = rows[members[k]].doctop;
        by_y[k].k2 = 0.0;
        by_y[k].idx = members[k];
    }
    stable_sort(by_y, tmp, m);
    Py_ssize_t ys = 0;
    while (ys < m) {
        /* the y cluster: consecutive doctops within tolerance (a chain, as pdfplumber) */
        Py_ssize_t ye = ys + 1;
        while (ye < m && !(by_y[ye].k1 - by_y[ye - 1].k1 > tolerance))
            ye++;
        Py_ssize_t ny = ye - ys;
        if (ny > 1) {
            for (Py_ssize_t k = 0; k < ny; k++) {
                by_x[k].k1 = rows[by_y[ys + k].idx].x0;
                by_x[k].k2 = 0.0;
                by_x[k].idx = by_y[ys + k].idx;
            }
            stable_sort(by_x, tmp, ny);
            Py_ssize_t xs = 0;
            while (xs < ny) {
                Py_ssize_t xe = xs + 1;
                while (xe < ny && !(by_x[xe].k1 - by_x[xe - 1].k1 > tolerance))
                    xe++;
                if (xe - xs > 1) {
                    /* min() by (doctop, x0): the first of the least in x order */
                    Py_ssize_t first = by_x[xs].idx;
                    for (Py_ssize_t k = xs + 1; k < xe; k++) {
                        const dchar *c = &rows[by_x[k].idx], *f = &rows[first];
                        if (c->doctop < f->doctop || (c->doctop == f->doctop && c->x0 < f->x0))
                            first = by_x[k].idx;
                    }
                    double fy = rows[first].doctop, fx = rows[first].x0;
                    int shifted = 0;
                    for (Py_ssize_t k = xs; k < xe; k++) {
                        Py_ssize_t i = by_x[k].idx;
                        if (i != first)
                            dropped[i] = 1;
                        if (fabs(rows[i].x0 - fx) + fabs(rows[i].doctop - fy) > 0.05)
                            shifted = 1;
                    }
                    if (shifted) {
                        PyObject *id = PyLong_FromVoidPtr(rows[first].dict);
                        if (id == NULL || PySet_Add(fake_bold, id) < 0) {
                            Py_XDECREF(id);
                            return -1;
                        }
                        Py_DECREF(id);
                    }
                }
                xs = xe;
            }
        }
        ys = ye;
    }
    return 0;
}

PyDoc_STRVAR(dedupe_chars_doc,
"dedupe_chars(chars, tolerance) -> (kept, fake_bold_ids) | None\n\n"
"pdf_chars.dedupe_chars; None where the Python function must decide (not a list or tuple of\n"
"plain dicts with the usual types, a NaN, a tolerance that is not a float).");

static PyObject *
dedupe_chars(PyObject *self, PyObject *args)
{
    PyObject *chars, *tol_obj;
    if (!PyArg_ParseTuple(args, "OO:dedupe_chars", &chars, &tol_obj))
        return NULL;
    if (!PyFloat_CheckExact(tol_obj))
        Py_RETURN_NONE;
    double tolerance = PyFloat_AS_DOUBLE(tol_obj);
    PyObject *seq = as_sequence(chars);
    if (seq == NULL) {
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = NULL, *fake_bold = NULL, *kept = NULL;
    Py_ssize_t cap = 8;
    while (cap < 2 * n)
        cap *= 2;
    dchar *rows = PyMem_Calloc((size_t)n + 1, sizeof(dchar));
    Py_ssize_t *table = PyMem_Malloc((size_t)cap * sizeof(Py_ssize_t));
    Py_ssize_t *group_of = PyMem_Malloc(((size_t)n + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *count = PyMem_Calloc((size_t)n + 1, sizeof(Py_ssize_t));
    Py_ssize_t *start = NULL, *members = NULL;
    sort_item *by_y = NULL, *by_x = NULL, *tmp = NULL;
    char *dropped = NULL;
    if (rows == NULL || table == NULL || group_of == NULL || count == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int r = read_dchars(seq, rows, n);
    if (r < 0)
        goto done;
    if (r == 0) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    /* the groups of (upright, text, fontname, size), numbered in order of first appearance */
    for (Py_ssize_t s = 0; s < cap; s++)
        table[s] = -1;
    Py_ssize_t n_groups = 0, n_multi = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        size_t s = (size_t)rows[i].hash & (size_t)(cap - 1);
        while (table[s] >= 0 && !same_key(&rows[table[s]], &rows[i]))
            s = (s + 1) & (size_t)(cap - 1);
        if (table[s] < 0) {
            table[s] = i;
            group_of[i] = n_groups++;
        } else {
            group_of[i] = group_of[table[s]];
        }
        if (++count[group_of[i]] == 2)
            n_multi++;
    }
    fake_bold = PySet_New(NULL);
    if (fake_bold == NULL)
        goto done;
    if (n_multi == 0) {         /* most pages: nothing like any character elsewhere */
        kept = PySequence_List(seq);
        if (kept != NULL)
            out = PyTuple_Pack(2, kept, fake_bold);
        goto done;
    }
    start = PyMem_Malloc(((size_t)n_groups + 1) * sizeof(Py_ssize_t));
    members = PyMem_Malloc(((size_t)n + 1) * sizeof(Py_ssize_t));
    by_y = PyMem_Malloc(((size_t)n + 1) * sizeof(sort_item));
    by_x = PyMem_Malloc(((size_t)n + 1) * sizeof(sort_item));
    tmp = PyMem_Malloc(((size_t)n + 1) * sizeof(sort_item));
    dropped = PyMem_Calloc((size_t)n + 1, 1);
    if (start == NULL || members == NULL || by_y == NULL || by_x == NULL || tmp == NULL
            || dropped == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t g = 0; g < n_groups; g++) {
        start[g] = at;
        at += count[g];
    }
    for (Py_ssize_t i = 0; i < n; i++)      /* each group's members in ascending order */
        members[start[group_of[i]]++] = i;
    for (Py_ssize_t g = 0; g < n_groups; g++) {
        start[g] -= count[g];
        if (count[g] > 1 && dedupe_group(rows, members + start[g], count[g], tolerance, by_y, by_x,
                                         tmp, dropped, fake_bold) < 0)
            goto done;
    }
    Py_ssize_t n_dropped = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        n_dropped += dropped[i];
    kept = PyList_New(n - n_dropped);
    if (kept == NULL)
        goto done;
    for (Py_ssize_t i = 0, k = 0; i < n; i++)
        if (!dropped[i])
            PyList_SET_ITEM(kept, k++, Py_NewRef(rows[i].dict));
    out = PyTuple_Pack(2, kept, fake_bold);
done:
    if (rows != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_XDECREF(rows[i].dict);
            Py_XDECREF(rows[i].text);
            Py_XDECREF(rows[i].font);
        }
    }
    PyMem_Free(rows);
    PyMem_Free(table);
    PyMem_Free(group_of);
    PyMem_Free(count);
    PyMem_Free(start);
    PyMem_Free(members);
    PyMem_Free(by_y);
    PyMem_Free(by_x);
    PyMem_Free(tmp);
    PyMem_Free(dropped);
    Py_XDECREF(kept);
    Py_XDECREF(fake_bold);
    Py_DECREF(seq);
    return out;
}

/* ---------------------------------------------------------------------- group_lines */

typedef struct {
    PyObject *dict, *text, *font;               /* owned */
    PyObject *x0_obj, *x1_obj, *top_obj, *bottom_obj;   /* owned: a Line holds these very floats */
    double x0, x1, top, bottom, size;
    Py_ssize_t len, lead;       /* len(text); its leading white space (str.isspace) */
    Py_UCS4 first, last;        /* text[:1], text[-1:] when len > 0 */
    int is_space;               /* text == " " */
    int visible;                /* text.strip() != "" */
} gchar;

/* 1: every character read; 0: the Python path must decide; -1: error */
static int
read_gchars(PyObject *seq, gchar *rows, Py_ssize_t n)
{
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = items[i];
        gchar *r = &rows[i];
        if (!PyDict_CheckExact(d))
            return 0;
        PyObject *text, *font, *x0, *x1, *top, *bottom;
        int ok = get_str(d, k_text, &text);
        if (ok == 1)
            ok = get_float(d, k_x0, &r->x0, &x0);
        if (ok == 1)
            ok = get_float(d, k_x1, &r->x1, &x1);
        if (ok == 1)
            ok = get_float(d, k_top, &r->top, &top);
        if (ok == 1)
            ok = get_float(d, k_bottom, &r->bottom, &bottom);
        if (ok == 1)
            ok = get_float(d, k_size, &r->size, NULL);
        if (ok == 1)
            ok = get_str(d, k_fontname, &font);
        if (ok != 1)
            return ok;
        if (isnan(r->top) || isnan(r->x0))
            return 0;       /* the sort keys: sorted()'s order with NaN is its algorithm's */
        Py_ssize_t len = PyUnicode_GET_LENGTH(text), lead = 0;
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        while (lead < len && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, lead)))
            lead++;
        r->len = len;
        r->lead = lead;
        r->visible = lead < len;
        r->is_space = len == 1 && PyUnicode_READ(kind, data, 0) == ' ';
        r->first = len ? PyUnicode_READ(kind, data, 0) : 0;
        r->last = len ? PyUnicode_READ(kind, data, len - 1) : 0;
        /* round() of an infinite or NaN size raises: let Python raise it */
        if (r->visible && !isfinite(r->size * 2))
            return 0;
        r->dict = Py_NewRef(d);
        r->text = Py_NewRef(text);
        r->font = Py_NewRef(font);
        r->x0_obj = Py_NewRef(x0);
        r->x1_obj = Py_NewRef(x1);
        r->top_obj = Py_NewRef(top);
        r->bottom_obj = Py_NewRef(bottom);
    }
    return 1;
}

/* _wide(ch) for one code point: 1 wide, 0 not, -1 error */
static int
is_wide(Py_UCS4 cp)
{
    if (cp < 0x10000 && wide_bmp[cp])
        return wide_bmp[cp] - 1;
    PyObject *ch = PyUnicode_FromOrdinal((int)cp);
    if (ch == NULL)
        return -1;
    PyObject *hit = PyDict_GetItemWithError(wide_cache, ch);    /* borrowed */
    int wide;
    if (hit != NULL && hit != Py_None) {
        wide = PyObject_IsTrue(hit);
    } else if (PyErr_Occurred()) {
        wide = -1;
    } else {
        PyObject *r = PyObject_CallOneArg(wide_func, ch);
        wide = r == NULL ? -1 : PyObject_IsTrue(r);
        Py_XDECREF(r);
    }
    Py_DECREF(ch);
    if (wide >= 0 && cp < 0x10000)
        wide_bmp[cp] = (unsigned char)(wide + 1);
    return wide;
}

/* round(size * 2) / 2: round() is round-half-even (rint in the default rounding mode); it
   gives an int, so a negative zero comes out as 0.0 */
static inline double
half_point(double size)
{
    double h = rint(size * 2) / 2;
    return h == 0.0 ? 0.0 : h;
}

typedef struct {
    double *sizes;
    Py_ssize_t *size_n;
    PyObject **fonts;           /* borrowed from the gchars */
    Py_ssize_t *font_n;
} line_scratch;

/* _make_line on one row (indices into rows, already in x0 order): a new reference to a Line,
   Py_None, or NULL on error */
static PyObject *
make_line(const gchar *rows, const Py_ssize_t *row, Py_ssize_t m, PyObject *fake_bold,
          line_scratch *sc)
{
    PyObject *parts = PyList_New(0);
    if (parts == NULL)
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t n_sizes = 0, n_fonts = 0, n = 0, n_bold = 0;
    int label_possible = 1;
    Py_ssize_t total_len = 0, lead_ws = 0;  /* len("".join(parts)) and of its leading space */
    int past_lead = 0;
    const gchar *prev = NULL;
    const gchar *bx0 = NULL, *bx1 = NULL, *btop = NULL, *bbottom = NULL;
    for (Py_ssize_t k = 0; k < m; k++) {
        const gchar *ch = &rows[row[k]];
        if (prev != NULL && !ch->is_space && !prev->is_space && prev->len && ch->len) {
            double gap = ch->x0 - prev->x1;
            double size = prev->size < ch->size ? prev->size : ch->size;
            if (size < 1.0)
                size = 1.0;
            int wide = is_wide(prev->last);
            if (wide == 0)
                wide = is_wide(ch->first);
            if (wide < 0)
                goto done;
            /* the gap rule and the heading-number exception of pdf_chars._make_line */
            if (gap > (wide ? 1.0 : 0.2) * size) {
                int label = 0;
                if (label_possible) {
                    if (total_len - lead_ws > label_max) {
                        label_possible = 0;
                    } else {
                        PyObject *so_far = PyUnicode_Join(s_empty, parts);
                        if (so_far == NULL)
                            goto done;
                        PyObject *match = PyObject_CallOneArg(label_match, so_far);
                        Py_DECREF(so_far);
                        if (match == NULL)
                            goto done;
                        label = match != Py_None;
                        Py_DECREF(match);
                    }
                }
                if (!label) {
                    if (PyList_Append(parts, s_space) < 0)
                        goto done;
                    total_len += 1;
                    if (!past_lead)
                        lead_ws += 1;
                }
            }
        }
        if (PyList_Append(parts, ch->text) < 0)
            goto done;
        total_len += ch->len;
        if (!past_lead) {
            lead_ws += ch->lead;
            past_lead = ch->visible;
        }
        prev = ch;
        if (ch->visible) {
            double key = half_point(ch->size);
            Py_ssize_t s = 0;
            while (s < n_sizes && sc->sizes[s] != key)
                s++;
            if (s == n_sizes) {
                sc->sizes[n_sizes] = key;
                sc->size_n[n_sizes++] = 0;
            }
            sc->size_n[s]++;
            Py_ssize_t f = 0;
            while (f < n_fonts && !same_str(sc->fonts[f], ch->font))
                f++;
            if (f == n_fonts) {
                sc->fonts[n_fonts] = ch->font;
                sc->font_n[n_fonts++] = 0;
            }
            sc->font_n[f]++;
            n++;
            if (PySet_GET_SIZE(fake_bold)) {
                PyObject *id = PyLong_FromVoidPtr(ch->dict);
                if (id == NULL)
                    goto done;
                int in = PySet_Contains(fake_bold, id);
                Py_DECREF(id);
                if (in < 0)
                    goto done;
                n_bold += in;
            }
            if (bx0 == NULL) {
                bx0 = bx1 = btop = bbottom = ch;
            } else {
                /* min()/max() over the visible characters, the first extreme kept */
                if (ch->x0 < bx0->x0)
                    bx0 = ch;
                if (ch->x1 > bx1->x1)
                    bx1 = ch;
                if (ch->top < btop->top)
                    btop = ch;
                if (ch->bottom > bbottom->bottom)
                    bbottom = ch;
            }
        }
    }
    if (n == 0) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    PyObject *joined = PyUnicode_Join(s_empty, parts);
    if (joined == NULL)
        goto done;
    PyObject *text = PyObject_CallOneArg(clean_line, joined);
    Py_DECREF(joined);
    if (text == NULL)
        goto done;
    int nonempty = PyObject_IsTrue(text);
    if (nonempty <= 0) {
        Py_DECREF(text);
        if (nonempty == 0)
            out = Py_NewRef(Py_None);
        goto done;
    }
    /* the most common size and font: the first (in order of appearance) with the top count */
    Py_ssize_t best_s = 0, best_f = 0;
    for (Py_ssize_t s = 1; s < n_sizes; s++)
        if (sc->size_n[s] > sc->size_n[best_s])
            best_s = s;
    for (Py_ssize_t f = 1; f < n_fonts; f++)
        if (sc->font_n[f] > sc->font_n[best_f])
            best_f = f;
    PyObject *size = PyFloat_FromDouble(sc->sizes[best_s]);
    PyObject *family = size == NULL ? NULL : PyObject_CallOneArg(font_family, sc->fonts[best_f]);
    PyObject *n_chars = family == NULL ? NULL : PyLong_FromSsize_t(n);
    if (n_chars != NULL) {
        PyObject *bold = (double)n_bold >= 0.6 * (double)n ? Py_True : Py_False;
        PyObject *argv[] = {text, bx0->x0_obj, bx1->x1_obj, btop->top_obj, bbottom->bottom_obj,
                            size, family, bold, n_chars};
        out = PyObject_Vectorcall(line_type, argv, 0, line_kwnames);
    }
    Py_DECREF(text);
    Py_XDECREF(size);
    Py_XDECREF(family);
    Py_XDECREF(n_chars);
done:
    Py_DECREF(parts);
    return out;
}

PyDoc_STRVAR(group_lines_doc,
"group_lines(chars, fake_bold) -> list[Line] | None\n\n"
"pdf_chars.group_lines; None where the Python function must decide (not a list or tuple of\n"
"plain dicts with the usual types, a NaN top or x0, a visible character whose size round()\n"
"refuses, fake_bold not a set).");

static PyObject *
group_lines(PyObject *self, PyObject *args)
{
    PyObject *chars, *fake_bold;
    if (!PyArg_ParseTuple(args, "OO:group_lines", &chars, &fake_bold))
        return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "_lines_fast.configure() has not been called");
        return NULL;
    }
    if (!PyAnySet_CheckExact(fake_bold))
        Py_RETURN_NONE;
    PyObject *seq = as_sequence(chars);
    if (seq == NULL) {
        if (PyErr_Occurred())
            return NULL;
        Py_RETURN_NONE;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = NULL, *lines = NULL;
    size_t cells = (size_t)n + 1;
    gchar *rows = PyMem_Calloc(cells, sizeof(gchar));
    sort_item *order = PyMem_Malloc(cells * sizeof(sort_item));
    sort_item *tmp = PyMem_Malloc(cells * sizeof(sort_item));
    Py_ssize_t *row_idx = PyMem_Malloc(cells * sizeof(Py_ssize_t));
    line_scratch sc = {
        PyMem_Malloc(cells * sizeof(double)), PyMem_Malloc(cells * sizeof(Py_ssize_t)),
        PyMem_Malloc(cells * sizeof(PyObject *)), PyMem_Malloc(cells * sizeof(Py_ssize_t)),
    };
    if (rows == NULL || order == NULL || tmp == NULL || row_idx == NULL || sc.sizes == NULL
            || sc.size_n == NULL || sc.fonts == NULL || sc.font_n == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int r = read_gchars(seq, rows, n);
    if (r < 0)
        goto done;
    if (r == 0) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        order[i].k1 = rows[i].top;
        order[i].k2 = rows[i].x0;
        order[i].idx = i;
    }
    stable_sort(order, tmp, n);
    lines = PyList_New(0);
    if (lines == NULL)
        goto done;
    /* the rows: a character joins the band when it overlaps it by half the smaller height */
    double band_top = 0.0, band_bottom = 0.0;
    Py_ssize_t row_start = 0;
    for (Py_ssize_t k = 0; k <= n; k++) {
        if (k < n) {
            const gchar *ch = &rows[order[k].idx];
            double top = ch->top, bottom = ch->bottom;
            double h = bottom - top;
            if (0.1 > h)
                h = 0.1;
            if (k > 0) {
                double lo = bottom < band_bottom ? bottom : band_bottom;
                double hi = top > band_top ? top : band_top;
                double band_h = band_bottom - band_top;
                if (lo - hi >= 0.5 * (band_h < h ? band_h : h)) {
                    if (top < band_top)
                        band_top = top;
                    if (bottom > band_bottom)
                        band_bottom = bottom;
                    continue;
                }
            }
            band_top = top;
            band_bottom = bottom;
            if (k == 0)
                continue;
        }
        /* the row order[row_start:k] is complete: sort it by x0 (stable) and make its line */
        Py_ssize_t m = k - row_start;
        if (m == 0)
            break;          /* no characters at all */
        sort_item *row = order + row_start;
        for (Py_ssize_t j = 0; j < m; j++) {
            row[j].k1 = rows[row[j].idx].x0;
            row[j].k2 = 0.0;
        }
        stable_sort(row, tmp, m);
        for (Py_ssize_t j = 0; j < m; j++)
            row_idx[j] = row[j].idx;
        PyObject *line = make_line(rows, row_idx, m, fake_bold, &sc);
        if (line == NULL)
            goto done;
        int failed = line != Py_None && PyList_Append(lines, line) < 0;
        Py_DECREF(line);
        if (failed)
            goto done;
        row_start = k;
    }
    out = Py_NewRef(lines);
done:
    if (rows != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            gchar *g = &rows[i];
            Py_XDECREF(g->dict);
            Py_XDECREF(g->text);
            Py_XDECREF(g->font);
            Py_XDECREF(g->x0_obj);
            Py_XDECREF(g->x1_obj);
            Py_XDECREF(g->top_obj);
            Py_XDECREF(g->bottom_obj);
        }
    }
    PyMem_Free(rows);
    PyMem_Free(order);
    PyMem_Free(tmp);
    PyMem_Free(row_idx);
    PyMem_Free(sc.sizes);
    PyMem_Free(sc.size_n);
    PyMem_Free(sc.fonts);
    PyMem_Free(sc.font_n);
    Py_XDECREF(lines);
    Py_DECREF(seq);
    return out;
}

/* ---------------------------------------------------------------------- the module */

PyDoc_STRVAR(configure_doc,
"configure(label_match, label_max, wide_cache, wide, clean_line, font_family, Line)\n\n"
"pdf_chars' rules the line builder calls back into: _LABEL.match, _LABEL_MAX, _WIDE, _wide,\n"
"clean_line, font_family and the Line dataclass.");

static PyObject *
configure(PyObject *self, PyObject *args)
{
    PyObject *match, *cache, *wide, *clean, *family, *line;
    Py_ssize_t max;
    if (!PyArg_ParseTuple(args, "OnO!OOOO:configure", &match, &max, &PyDict_Type, &cache, &wide,
                          &clean, &family, &line))
        return NULL;
    PyObject *callables[] = {match, wide, clean, family, line};
    for (size_t i = 0; i < sizeof(callables) / sizeof(callables[0]); i++)
        if (!PyCallable_Check(callables[i])) {
            PyErr_SetString(PyExc_TypeError, "configure() takes callables");
            return NULL;
        }
    Py_XSETREF(label_match, Py_NewRef(match));
    Py_XSETREF(wide_cache, Py_NewRef(cache));
    Py_XSETREF(wide_func, Py_NewRef(wide));
    Py_XSETREF(clean_line, Py_NewRef(clean));
    Py_XSETREF(font_family, Py_NewRef(family));
    Py_XSETREF(line_type, Py_NewRef(line));
    label_max = max;
    memset(wide_bmp, 0, sizeof wide_bmp);      /* another _wide may answer otherwise */
    configured = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, configure_doc},
    {"dedupe_chars", dedupe_chars, METH_VARARGS, dedupe_chars_doc},
    {"group_lines", group_lines, METH_VARARGS, group_lines_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lines_fast",
    "The per-character loops of ingest.pdf_chars (the line builder), in C.", -1, methods,
};

static int
intern(PyObject **slot, const char *text)
{
    *slot = PyUnicode_InternFromString(text);
    return *slot == NULL ? -1 : 0;
}

PyMODINIT_FUNC
PyInit__lines_fast(void)
{
    if (intern(&k_text, "text") < 0 || intern(&k_size, "size") < 0
            || intern(&k_upright, "upright") < 0 || intern(&k_x0, "x0") < 0
            || intern(&k_x1, "x1") < 0 || intern(&k_fontname, "fontname") < 0
            || intern(&k_top, "top") < 0 || intern(&k_bottom, "bottom") < 0
            || intern(&k_doctop, "doctop") < 0 || intern(&s_space, " ") < 0
            || intern(&s_empty, "") < 0)
        return NULL;
    line_kwnames = Py_BuildValue("(sssssssss)", "text", "x0", "x1", "top", "bottom", "size",
                                 "fontname", "fake_bold", "n_chars");
    if (line_kwnames == NULL)
        return NULL;
    return PyModule_Create(&module);
}
