/*
 * doge/roster.h — the workforce roster that pulse asks every week: who is
 * employed, in which department, under which manager, at which addresses.
 * A roster is imported from CSV with the columns employee_id, name, email,
 * department and manager_id (empty for the top of a chain), optionally
 * aliases (extra addresses separated by ';'), in any order; any other
 * columns are kept, as a JSON object, in the employee's `extra`.
 *
 * Validation. Every row is checked before anything is stored, and a file
 * with any error is rejected whole: nothing is imported and ALL errors are
 * found and counted, the first DOGE_ROSTER_LISTED (by line) kept with their
 * messages. Each message names the file, the line where the row starts and
 * the field: "roster.csv:17: field 'email': 'bob@@x' is not an e-mail
 * address". Errors: a row with the wrong number of fields; an empty
 * employee_id, name, email or department; an id that is not 1-64 visible
 * ASCII characters without '@'; a name, department or extra value that is
 * not UTF-8, or a name or department with control characters; an address
 * (email or alias) that is not a plain ASCII addr-spec; a duplicate id; an
 * address used by two employees (ASCII case ignored; an employee repeating
 * their own address is not an error); a manager_id that is no employee_id of
 * the file; a cycle in the manager chain (reported once, at its first line,
 * listing the cycle). A file with a header but no rows is refused (importing
 * it would mark everyone as having left). A CSV syntax error (see
 * doge/csvread.h) stops the reading; it is listed with the errors found
 * before it, and managers are then not checked (they may be defined in the
 * unread rest). The standard fields are trimmed of surrounding spaces and
 * tabs; extra columns are kept as written. Aliases are stored lowercased.
 *
 * Re-import. The file is the whole active workforce. Compared with the store:
 * an id not seen before, or seen but inactive, has joined; an active id absent
 * from the file has left (marked inactive, never deleted); an active id whose
 * department or manager changed has moved; one whose name, addresses or extra
 * columns changed is counted as updated; the rest are unchanged and not
 * rewritten. Joined, left and moved are recorded in roster_change with the
 * import's id and time (moved with the old and new department and manager),
 * and every import, with its counts, in roster_import. The first import into
 * an empty roster is the baseline: everyone joined, the count is recorded in
 * roster_import, and per-employee change rows start with the next import
 * (millions of identical "joined" rows would carry no information and would
 * double the cost of the first import). Change detection compares 64-bit
 * hashes of the stored and new values. The import is one transaction with
 * prepared statements, rows written in employee_id order and addresses in
 * address order (B-tree appends rather than random inserts); memory is
 * about 400 bytes per employee.
 *
 * Store tables (migration 3): roster (employee_id primary key, name, email,
 * department, manager_id, aliases, extra, active, updated_at), roster_alias
 * (lowercased address primary key -> employee_id, active employees only),
 * roster_import and roster_change.
 *
 * Ownership: result, stats and person structs are placed by the caller and
 * released with their _dispose function, which frees what the library
 * allocated in them (disposing twice is harmless). A person handed to a
 * doge_roster_each() callback is borrowed for that call only.
 */
#ifndef DOGE_ROSTER_H
#define DOGE_ROSTER_H

#include "doge/common.h"
#include "doge/csvread.h"
#include "doge/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Errors kept with their messages by an import (the rest are counted). */
#define DOGE_ROSTER_LISTED 50
/* The longest employee_id. */
#define DOGE_ROSTER_ID_MAX 64

/* Import options; a zeroed struct is valid. */
typedef struct doge_roster_import_opts {
    int64_t now;            /* the import time (Unix seconds); 0: the clock */
    unsigned progress;      /* DOGE_PROGRESS_* flags for the bars on stderr */
    int no_progress;        /* 1: no progress bars at all */
    const char *source;     /* the name recorded for the import; NULL: the reader's */
} doge_roster_import_opts;

/* What an import did, or why it refused the file. */
typedef struct doge_roster_import_result {
    int64_t rows;      /* data rows read */
    int64_t import_id; /* the roster_import id (0 when refused) */
    int64_t imported_at;
    int64_t joined, left, moved, updated, unchanged;
    int64_t active;          /* active employees after the import */
    double read_seconds;     /* reading and validating */
    double store_seconds;    /* writing the store */
    size_t errors;           /* errors found (0 on success) */
    size_t listed;           /* messages in error_list (at most DOGE_ROSTER_LISTED) */
    char **error_list;       /* the first errors by line, NUL-terminated messages */
} doge_roster_import_result;

/* Imports the CSV at path ("-" for standard input) into the store. On
 * success fills *res and returns DOGE_OK. A file with errors returns
 * DOGE_EINVAL, imports nothing, fills res->errors and res->error_list, and
 * sets the last error to the first message followed by the count. Store
 * failures roll back and return DOGE_EDB. res must be disposed either way. */
DOGE_EXTERN int doge_roster_import(doge_store *st, const char *path,
                                   const doge_roster_import_opts *opts,
                                   doge_roster_import_result *res);

/* The same from an open reader whose header has not been read yet. */
DOGE_EXTERN int doge_roster_import_reader(doge_store *st, doge_csvread *r,
                                          const doge_roster_import_opts *opts,
                                          doge_roster_import_result *res);

/* Frees res->error_list and zeroes res. */
DOGE_EXTERN void doge_roster_import_result_dispose(doge_roster_import_result *res);

/* One employee. Strings are UTF-8; manager_id and extra are NULL when
 * absent; aliases is "" or ';'-separated; extra is JSON object text. */
typedef struct doge_roster_person {
    const char *employee_id, *name, *email, *department, *manager_id, *aliases, *extra;
    int active;
    int64_t updated_at;
    int64_t direct_reports; /* active employees whose manager this is (find only) */
    char *mem_;             /* storage owned by the struct (find only) */
} doge_roster_person;

/* Finds an employee by employee_id, or by any address (e-mail or alias,
 * ASCII case ignored) of an active employee when key contains '@'.
 * DOGE_ENOTFOUND "roster: no employee 'x'". */
DOGE_EXTERN int doge_roster_find(doge_store *st, const char *key, doge_roster_person *out);

/* Frees what doge_roster_find() put in p. */
DOGE_EXTERN void doge_roster_person_dispose(doge_roster_person *p);

/* The employee_id of the active employee using address (the sender lookup
 * of pulse), copied into id (cap bytes). DOGE_ENOTFOUND when nobody uses it,
 * DOGE_ELIMIT when cap is too small. */
DOGE_EXTERN int doge_roster_lookup_address(doge_store *st, const char *address, char *id,
                                           size_t cap);

/* Which employees doge_roster_each() visits. */
typedef struct doge_roster_filter {
    int include_inactive;   /* 1: also those who left */
    const char *department; /* only this department (NULL: all) */
    const char *manager_id; /* only direct reports of this id (NULL: all) */
} doge_roster_filter;

/* Calls fn for each matching employee in employee_id order; a non-zero
 * return from fn stops the walk and is returned. f may be NULL. */
typedef int (*doge_roster_each_fn)(void *ctx, const doge_roster_person *p);
DOGE_EXTERN int doge_roster_each(doge_store *st, const doge_roster_filter *f,
                                 doge_roster_each_fn fn, void *ctx);

/* One recorded change of an employee. */
typedef struct doge_roster_change {
    int64_t import_id, changed_at;
    const char *employee_id, *kind; /* "joined", "left" or "moved" */
    const char *old_department, *new_department, *old_manager_id, *new_manager_id; /* or NULL */
} doge_roster_change;

/* Calls fn for each recorded change of employee_id (NULL: of everyone in the
 * import import_id, or of every import when import_id is 0), oldest first.
 * The struct is borrowed for the call. */
typedef int (*doge_roster_change_fn)(void *ctx, const doge_roster_change *c);
DOGE_EXTERN int doge_roster_changes(doge_store *st, const char *employee_id, int64_t import_id,
                                    doge_roster_change_fn fn, void *ctx);

/* Employees in one department. */
typedef struct doge_roster_dept {
    char *name;
    int64_t employees;
} doge_roster_dept;

/* Figures for `doge roster stats`: those of the roster the last import
 * made (the roster changes only by import), computed by the import while it
 * holds the whole manager graph in memory, so reading them costs one row
 * however large the roster. All zero before the first import. */
typedef struct doge_roster_stats {
    int64_t active, inactive;
    int64_t addresses;         /* addresses of active employees (e-mails and aliases) */
    int64_t with_aliases;      /* active employees with at least one alias */
    int64_t managers;          /* active employees with an active direct report */
    int64_t tops;              /* active employees without a manager */
    int64_t max_span;          /* most direct reports of one manager */
    double mean_span;          /* direct reports per manager */
    int64_t max_depth;         /* longest manager chain (a top is depth 1) */
    size_t departments;        /* departments with active employees */
    doge_roster_dept *by_department; /* largest first, then by name */
    int64_t imports;           /* imports so far */
    int64_t last_import_id, last_imported_at, last_rows;
    int64_t last_joined, last_left, last_moved, last_updated;
    char *last_source;         /* NULL before the first import */
} doge_roster_stats;

/* Fills *out. */
DOGE_EXTERN int doge_roster_stats_get(doge_store *st, doge_roster_stats *out);

/* Frees what doge_roster_stats_get() allocated and zeroes s. */
DOGE_EXTERN void doge_roster_stats_dispose(doge_roster_stats *s);

/* Checks that addr is a plain ASCII addr-spec (local@domain, dot-atom local
 * part of at most 64 bytes, a domain of at least two labels of letters,
 * digits and inner hyphens, at most 254 bytes in all). 1 when it is, else 0.
 * len < 0 means NUL-terminated. */
DOGE_EXTERN int doge_roster_valid_address(const char *addr, ptrdiff_t len);

#ifdef __cplusplus
}
#endif
#endif
