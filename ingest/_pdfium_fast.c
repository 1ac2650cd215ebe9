/* The per-object and per-character loops of ingest/pdf_pdfium.py, in C.

   The Python loop makes about eight ctypes calls per character; that call overhead, not
   pdfium, was most of the time a PDF took to read. This module makes the same pdfium calls
   through the function pointers pypdfium2 already loaded (`bind`), so it does not link against
   pdfium, and decides everything exactly as PdfiumReader's Python path does (that path stays
   the reference; tests/ingest/test_pdfium_fast.py compares the two on every corpus page).

   Every pdfium call is one of its public, stable functions (fpdf_text.h, fpdf_edit.h); the
   handles passed in are plain addresses that pypdfium2 keeps alive for the call's duration.
   The GIL is held throughout: a page takes well under a millisecond here, and pdfium itself
   is not thread-safe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>

#if defined(_WIN32) && !defined(_WIN64)
#define FPDF_CALLCONV __stdcall
#else
#define FPDF_CALLCONV
#endif

/* fpdf_edit.h's page object types (public ABI; pdf_pdfium.py checks them against pypdfium2) */
#define OBJ_TEXT 1
#define OBJ_PATH 2
#define OBJ_IMAGE 3
#define OBJ_FORM 5

typedef struct { float a, b, c, d, e, f; } fs_matrix;           /* FS_MATRIX */
typedef struct { float left, top, right, bottom; } fs_rectf;   /* FS_RECTF */

/* The pdfium functions used, in the order of NAMES below. */
static struct {
    int (FPDF_CALLCONV *count_objects)(void *page);
    void *(FPDF_CALLCONV *page_object)(void *page, int index);
    int (FPDF_CALLCONV *object_type)(void *obj);
    unsigned long (FPDF_CALLCONV *object_text)(void *obj, void *tp, unsigned short *buf,
                                               unsigned long len);
    int (FPDF_CALLCONV *object_bounds)(void *obj, float *l, float *b, float *r, float *t);
    void *(FPDF_CALLCONV *object_font)(void *obj);
    int (FPDF_CALLCONV *count_chars)(void *tp);
    unsigned int (FPDF_CALLCONV *unicode)(void *tp, int i);
    int (FPDF_CALLCONV *is_generated)(void *tp, int i);
    int (FPDF_CALLCONV *map_error)(void *tp, int i);
    void *(FPDF_CALLCONV *char_object)(void *tp, int i);
    int (FPDF_CALLCONV *char_matrix)(void *tp, int i, fs_matrix *m);
    double (FPDF_CALLCONV *font_size)(void *tp, int i);
    int (FPDF_CALLCONV *char_origin)(void *tp, int i, double *x, double *y);
    int (FPDF_CALLCONV *loose_box)(void *tp, int i, fs_rectf *r);
} fn;
static int bound = 0;

static const char *const NAMES[] = {
    "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFPageObj_GetType",
    "FPDFTextObj_GetText", "FPDFPageObj_GetBounds", "FPDFTextObj_GetFont",
    "FPDFText_CountChars", "FPDFText_GetUnicode", "FPDFText_IsGenerated",
    "FPDFText_HasUnicodeMapError", "FPDFText_GetTextObject", "FPDFText_GetMatrix",
    "FPDFText_GetFontSize", "FPDFText_GetCharOrigin", "FPDFText_GetLooseCharBox",
};
#define N_NAMES (sizeof(NAMES) / sizeof(NAMES[0]))

/* dict keys, interned once, in the order the Python path inserts them */
static PyObject *k_text, *k_size, *k_upright, *k_x0, *k_x1, *k_fontname, *k_top, *k_bottom,
    *k_doctop;
/* a character dict with every key in that order: copying it and replacing the values was the
   quickest way to build 100,000 dicts that were measured (against an empty or presized dict
   filled key by key, and against arrays made into dicts in Python) */
static PyObject *char_template;

static PyObject *
bind(PyObject *self, PyObject *addresses)
{
    void *at[N_NAMES];
    PyObject *seq = PySequence_Fast(addresses, "bind() takes a sequence of addresses");
    if (seq == NULL)
        return NULL;
    if (PySequence_Fast_GET_SIZE(seq) != (Py_ssize_t)N_NAMES) {
        Py_DECREF(seq);
        return PyErr_Format(PyExc_ValueError, "bind() takes %d addresses", (int)N_NAMES);
    }
    for (size_t i = 0; i < N_NAMES; i++) {
        at[i] = PyLong_AsVoidPtr(PySequence_Fast_GET_ITEM(seq, i));
        if (at[i] == NULL) {
            Py_DECREF(seq);
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "no address for %s", NAMES[i]);
            return NULL;
        }
    }
    Py_DECREF(seq);
    /* object pointer -> function pointer: what dlsym's users do, defined on every POSIX and
       Windows ABI this runs on */
    *(void **)&fn.count_objects = at[0];
    *(void **)&fn.page_object = at[1];
    *(void **)&fn.object_type = at[2];
    *(void **)&fn.object_text = at[3];
    *(void **)&fn.object_bounds = at[4];
    *(void **)&fn.object_font = at[5];
    *(void **)&fn.count_chars = at[6];
    *(void **)&fn.unicode = at[7];
    *(void **)&fn.is_generated = at[8];
    *(void **)&fn.map_error = at[9];
    *(void **)&fn.char_object = at[10];
    *(void **)&fn.char_matrix = at[11];
    *(void **)&fn.font_size = at[12];
    *(void **)&fn.char_origin = at[13];
    *(void **)&fn.loose_box = at[14];
    bound = 1;
    Py_RETURN_NONE;
}

static int
check_bound(void)
{
    if (!bound)
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_fast.bind() has not been called");
    return bound;
}

static void *
handle(PyObject *address, const char *what)
{
    void *p = PyLong_AsVoidPtr(address);
    if (p == NULL && !PyErr_Occurred())
        PyErr_Format(PyExc_ValueError, "NULL %s", what);
    return p;
}

/* ---------------------------------------------------------------------- the page objects */

PyDoc_STRVAR(walk_objects_doc,
"walk_objects(page) -> None | (text_objects: bytes, paths: list[int], n_images: int)\n\n"
"The page's objects in order: its text objects (addresses packed for page_chars), its path\n"
"objects and how many images; None when a form XObject is met (the page is pdfminer's).");

static PyObject *
walk_objects(PyObject *self, PyObject *address)
{
    if (!check_bound())
        return NULL;
    void *page = handle(address, "page");
    if (page == NULL)
        return NULL;
    int n = fn.count_objects(page);
    if (n < 0)
        n = 0;
    void **texts = PyMem_Malloc(((size_t)n + 1) * sizeof(void *));
    PyObject *paths = PyList_New(0);
    PyObject *out = NULL;
    Py_ssize_t n_texts = 0, n_images = 0;
    if (texts == NULL || paths == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (int i = 0; i < n; i++) {
        void *obj = fn.page_object(page, i);
        int kind = fn.object_type(obj);
        if (kind == OBJ_TEXT) {
            texts[n_texts++] = obj;
        } else if (kind == OBJ_PATH) {
            PyObject *addr = PyLong_FromVoidPtr(obj);
            int failed = addr == NULL || PyList_Append(paths, addr) < 0;
            Py_XDECREF(addr);
            if (failed)
                goto done;
        } else if (kind == OBJ_IMAGE) {
            n_images++;
        } else if (kind == OBJ_FORM) {
            out = Py_NewRef(Py_None);
            goto done;
        }
    }
    out = Py_BuildValue("(y#On)", (const char *)texts, n_texts * (Py_ssize_t)sizeof(void *),
                        paths, n_images);
done:
    PyMem_Free(texts);
    Py_XDECREF(paths);
    return out;
}

/* ---------------------------------------------------------------------- the characters */

typedef struct {
    PyObject *text;     /* owned */
    double size, x0, x1, y;
    Py_ssize_t font;    /* index into the page's fonts */
} char_row;

typedef struct {
    void *handle;       /* pdfium's FPDF_FONT */
    PyObject *texts;    /* owned set: every text drawn with it */
    PyObject *name;     /* owned, after resolving */
    double descent;
} font_row;

typedef struct {
    int n;                      /* the text page's characters */
    unsigned int *codes;
    void **objects;
    char_row *rows;
    Py_ssize_t n_rows;
    font_row *fonts;
    Py_ssize_t n_fonts, fonts_cap;
} page_scan;

static void
scan_free(page_scan *s)
{
    for (Py_ssize_t i = 0; i < s->n_rows; i++)
        Py_DECREF(s->rows[i].text);
    for (Py_ssize_t i = 0; i < s->n_fonts; i++) {
        Py_XDECREF(s->fonts[i].texts);
        Py_XDECREF(s->fonts[i].name);
    }
    PyMem_Free(s->codes);
    PyMem_Free(s->objects);
    PyMem_Free(s->rows);
    PyMem_Free(s->fonts);
}

static int
compare_addresses(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
    return (x > y) - (x < y);
}

/* Did pdfium's text page leave out a text object (the Python path's _drops_duplicates)?
   FPDFTextObj_GetText scans the whole text page for each object, which made this check cost
   as much as the rest of the page; but its text is empty exactly when no character of the
   text page belongs to the object with a nonzero code (CPDF_TextPage::GetTextByPredicate), so
   an object seen in the character list with a code is skipped without asking, and only the
   rest (in practice: the dropped ones) get the exact check. Returns 1, 0, or -1 on error. */
static int
drops_duplicates(void *tp, const page_scan *s, void *const *text_objects, Py_ssize_t n_objects)
{
    void **with_text = PyMem_Malloc(((size_t)s->n + 1) * sizeof(void *));
    if (with_text == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    size_t n_with = 0;
    for (int i = 0; i < s->n; i++)
        if (s->codes[i] != 0 && s->objects[i] != NULL)
            with_text[n_with++] = s->objects[i];
    qsort(with_text, n_with, sizeof(void *), compare_addresses);
    int found = 0;
    for (Py_ssize_t k = 0; k < n_objects && !found; k++) {
        void *obj = text_objects[k];
        if (n_with && bsearch(&obj, with_text, n_with, sizeof(void *), compare_addresses))
            continue;
        if (fn.object_text(obj, tp, NULL, 0) > 2)
            continue;
        float left, bottom, right, top;
        if (fn.object_bounds(obj, &left, &bottom, &right, &top) && right > left)
            found = 1;
    }
    PyMem_Free(with_text);
    return found;
}

static Py_ssize_t
font_index(page_scan *s, void *font)
{
    for (Py_ssize_t k = s->n_fonts - 1; k >= 0; k--)
        if (s->fonts[k].handle == font)
            return k;
    if (s->n_fonts == s->fonts_cap) {
        Py_ssize_t cap = s->fonts_cap ? 2 * s->fonts_cap : 8;
        font_row *grown = PyMem_Realloc(s->fonts, (size_t)cap * sizeof(font_row));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        s->fonts = grown;
        s->fonts_cap = cap;
    }
    PyObject *texts = PySet_New(NULL);
    if (texts == NULL)
        return -1;
    font_row *row = &s->fonts[s->n_fonts];
    row->handle = font;
    row->texts = texts;
    row->name = NULL;
    row->descent = 0.0;
    return s->n_fonts++;
}

/* The character loop of PdfiumReader._chars, decision for decision. 1: every character read
   into s->rows; 0: the page is not for pdfium; -1: a Python error. */
static int
read_chars(void *tp, page_scan *s)
{
    void *last_object = NULL;
    int any_object = 0;
    Py_ssize_t font = -1;
    double size = 0.0;
    for (int i = 0; i < s->n; i++) {
        unsigned int code = s->codes[i];
        if ((code == 0x20 || code == 0x0D || code == 0x0A || code == 0x02)
                && fn.is_generated(tp, i))
            continue;       /* pdfium's own spaces and line ends */
        if (code == 0 || code == 0xFFFD || fn.map_error(tp, i))
            return 0;       /* pdfminer writes (cid:N) here */
        if ((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
            return 0;       /* a surrogate, or no character at all */
        if (code == '\r' || code == '\n')
            return 0;       /* a drawn line break */
        void *obj = s->objects[i];
        if (!any_object || obj != last_object) {
            any_object = 1;
            last_object = obj;
            if (obj == NULL)
                return 0;
            void *handle = fn.object_font(obj);
            if (handle == NULL)
                return 0;
            font = font_index(s, handle);
            if (font < 0)
                return -1;
            fs_matrix m;
            if (!fn.char_matrix(tp, i, &m))
                return 0;
            /* as Python's `b or c or a <= 0 or d <= 0`, NaN included */
            if (m.b != 0.0f || m.c != 0.0f || m.a <= 0.0f || m.d <= 0.0f)
                return 0;   /* rotated, skewed or mirrored text */
            size = fn.font_size(tp, i) * (double)m.d;
        }
        double ox, oy;
        fs_rectf box;
        if (!fn.char_origin(tp, i, &ox, &oy) || !fn.loose_box(tp, i, &box))
            return 0;
        PyObject *text = PyUnicode_FromOrdinal((int)code);
        if (text == NULL)
            return -1;
        if (PySet_Add(s->fonts[font].texts, text) < 0) {
            Py_DECREF(text);
            return -1;
        }
        char_row *row = &s->rows[s->n_rows++];
        row->text = text;
        row->size = size;
        row->x0 = ox;
        row->x1 = (double)box.right;
        row->y = oy;
        row->font = font;
    }
    return 1;
}

/* resolve(font_handle, texts) -> (fontname, descent) | None, for every font of the page.
   1: all resolved; 0: one is None (the page is pdfplumber's); -1: a Python error. */
static int
resolve_fonts(page_scan *s, PyObject *resolve)
{
    for (Py_ssize_t k = 0; k < s->n_fonts; k++) {
        font_row *f = &s->fonts[k];
        PyObject *result = PyObject_CallFunction(resolve, "NO", PyLong_FromVoidPtr(f->handle),
                                                 f->texts);
        if (result == NULL)
            return -1;
        if (result == Py_None) {
            Py_DECREF(result);
            return 0;
        }
        if (!PyTuple_Check(result) || PyTuple_GET_SIZE(result) != 2) {
            Py_DECREF(result);
            PyErr_SetString(PyExc_TypeError, "resolve() must give (fontname, descent) or None");
            return -1;
        }
        PyObject *name = PyTuple_GET_ITEM(result, 0), *descent = PyTuple_GET_ITEM(result, 1);
        f->descent = PyFloat_AsDouble(descent);
        if (f->descent == -1.0 && PyErr_Occurred()) {
            Py_DECREF(result);
            return -1;
        }
        f->name = Py_NewRef(name);
        Py_DECREF(result);
    }
    return 1;
}

static int
set_float(PyObject *dict, PyObject *key, double value)
{
    PyObject *v = PyFloat_FromDouble(value);
    if (v == NULL)
        return -1;
    int r = PyDict_SetItem(dict, key, v);
    Py_DECREF(v);
    return r;
}

/* The page's characters as the Python path gives them: placed from the baseline with the
   pdfminer font's descent, in the same float operations in the same order. */
static PyObject *
char_dicts(const page_scan *s, double height, double doctop)
{
    PyObject *out = PyList_New(s->n_rows);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < s->n_rows; i++) {
        const char_row *ch = &s->rows[i];
        const font_row *f = &s->fonts[ch->font];
        double y0 = ch->y + f->descent * ch->size;
        double top = height - (y0 + ch->size);
        PyObject *d = PyDict_Copy(char_template);      /* "upright" is already True */
        if (d == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, d);
        if (PyDict_SetItem(d, k_text, ch->text) < 0 || set_float(d, k_size, ch->size) < 0
                || set_float(d, k_x0, ch->x0) < 0
                || set_float(d, k_x1, ch->x1) < 0 || PyDict_SetItem(d, k_fontname, f->name) < 0
                || set_float(d, k_top, top) < 0 || set_float(d, k_bottom, height - y0) < 0
                || set_float(d, k_doctop, doctop + top) < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(page_chars_doc,
"page_chars(textpage, text_objects, height, doctop, resolve) -> list[dict] | None\n\n"
"PdfiumReader._chars in one call: None where that gives up (a text object left out of the\n"
"text page, unmapped or unusual characters, rotated text, a font resolve() returns None for),\n"
"else the character dicts. resolve(font_handle, texts) -> (fontname, descent) | None.");

static PyObject *
page_chars(PyObject *self, PyObject *args)
{
    PyObject *tp_address, *resolve;
    const char *objects_buf;
    Py_ssize_t objects_len;
    double height, doctop;
    if (!PyArg_ParseTuple(args, "Oy#ddO:page_chars", &tp_address, &objects_buf, &objects_len,
                          &height, &doctop, &resolve))
        return NULL;
    if (!check_bound())
        return NULL;
    if (objects_len % (Py_ssize_t)sizeof(void *)) {
        PyErr_SetString(PyExc_ValueError, "text_objects is not a packed array of addresses");
        return NULL;
    }
    void *tp = handle(tp_address, "text page");
    if (tp == NULL)
        return NULL;

    page_scan s = {0};
    PyObject *out = NULL;
    int n = fn.count_chars(tp);
    s.n = n > 0 ? n : 0;
    s.codes = PyMem_Malloc(((size_t)s.n + 1) * sizeof(unsigned int));
    s.objects = PyMem_Malloc(((size_t)s.n + 1) * sizeof(void *));
    s.rows = PyMem_Malloc(((size_t)s.n + 1) * sizeof(char_row));
    if (s.codes == NULL || s.objects == NULL || s.rows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (int i = 0; i < s.n; i++) {
        s.codes[i] = fn.unicode(tp, i);
        s.objects[i] = fn.char_object(tp, i);
    }
    int r = drops_duplicates(tp, &s, (void *const *)objects_buf,
                             objects_len / (Py_ssize_t)sizeof(void *));
    if (r == 1)
        out = Py_NewRef(Py_None);
    if (r != 0)
        goto done;
    r = read_chars(tp, &s);
    if (r == 1)
        r = resolve_fonts(&s, resolve);
    if (r == 0)
        out = Py_NewRef(Py_None);
    else if (r == 1)
        out = char_dicts(&s, height, doctop);
done:
    scan_free(&s);
    return out;
}

/* ---------------------------------------------------------------------- the module */

static PyMethodDef methods[] = {
    {"bind", bind, METH_O,
     "bind(addresses): the pdfium functions named in NAMES, as addresses, in that order."},
    {"walk_objects", walk_objects, METH_O, walk_objects_doc},
    {"page_chars", page_chars, METH_VARARGS, page_chars_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pdfium_fast",
    "The per-character pdfium loops of ingest.pdf_pdfium, in C.", -1, methods,
};

static int
intern(PyObject **slot, const char *text)
{
    *slot = PyUnicode_InternFromString(text);
    return *slot == NULL ? -1 : 0;
}

PyMODINIT_FUNC
PyInit__pdfium_fast(void)
{
    if (intern(&k_text, "text") < 0 || intern(&k_size, "size") < 0
            || intern(&k_upright, "upright") < 0 || intern(&k_x0, "x0") < 0
            || intern(&k_x1, "x1") < 0 || intern(&k_fontname, "fontname") < 0
            || intern(&k_top, "top") < 0 || intern(&k_bottom, "bottom") < 0
            || intern(&k_doctop, "doctop") < 0)
        return NULL;
    char_template = PyDict_New();
    if (char_template == NULL)
        return NULL;
    PyObject *const keys[] = {k_text, k_size, k_upright, k_x0, k_x1, k_fontname, k_top, k_bottom,
                              k_doctop};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (PyDict_SetItem(char_template, keys[i], keys[i] == k_upright ? Py_True : Py_None) < 0)
            return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyObject *names = PyTuple_New(N_NAMES);
    if (names == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    for (size_t i = 0; i < N_NAMES; i++) {
        PyObject *name = PyUnicode_FromString(NAMES[i]);
        if (name == NULL) {
            Py_DECREF(names);
            Py_DECREF(m);
            return NULL;
        }
        PyTuple_SET_ITEM(names, i, name);
    }
    if (PyModule_AddObject(m, "NAMES", names) < 0) {
        Py_DECREF(names);
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "OBJ_TEXT", OBJ_TEXT) < 0
            || PyModule_AddIntConstant(m, "OBJ_PATH", OBJ_PATH) < 0
            || PyModule_AddIntConstant(m, "OBJ_IMAGE", OBJ_IMAGE) < 0
            || PyModule_AddIntConstant(m, "OBJ_FORM", OBJ_FORM) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
