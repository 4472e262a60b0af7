/*
 * cli.h — what the doge program's subcommand files share: the global options
 * (-C DIR, --json, --quiet), the command table entry, exit codes and small
 * helpers for usage errors and workspace opening. One file per subcommand
 * under src/cli/ defines one doge_cmd.
 */
#ifndef DOGE_CLI_H
#define DOGE_CLI_H

#include <stdint.h>
#include <stdio.h>

/* Exit codes of the doge program. */
enum {
    DOGE_EXIT_OK = 0,
    DOGE_EXIT_INPUT = 1, /* bad input, failed verification, runtime error */
    DOGE_EXIT_USAGE = 2  /* unknown command or option, missing argument */
};

typedef struct doge_cli {
    const char *dir; /* -C DIR, or NULL */
    int json;        /* --json */
    int quiet;       /* --quiet */
} doge_cli;

typedef struct doge_cmd {
    const char *name;
    const char *summary; /* one line for `doge --help` */
    const char *help;    /* full text for `doge help CMD` / `doge CMD --help` */
    int (*run)(doge_cli *cli, int argc, char **argv);
} doge_cmd;

/* Every command's table entry (defined in its own cmd_*.c). */
extern const doge_cmd doge_cmd_help;
extern const doge_cmd doge_cmd_id;
extern const doge_cmd doge_cmd_init;
extern const doge_cmd doge_cmd_status;
extern const doge_cmd doge_cmd_ledger;
extern const doge_cmd doge_cmd_witness;
extern const doge_cmd doge_cmd_pulse;
extern const doge_cmd doge_cmd_roster;
extern const doge_cmd doge_cmd_synth;
extern const doge_cmd doge_cmd_serve;
extern const doge_cmd doge_cmd_token;
extern const doge_cmd doge_cmd_review;

/* A `doge review` subcommand: run gets argv[0] = the subcommand's name and
 * parses its own options (the global ones are already stripped). */
typedef struct doge_review_sub {
    const char *name;
    const char *usage; /* "NAME ARGS" line for the help and usage errors */
    int (*run)(doge_cli *cli, int argc, char **argv);
} doge_review_sub;

/* The `doge review` subcommand tables, each ended by a row with a NULL
 * name. cmd_review.c defines the model's (train, eval, explain); a file
 * that adds more (queue, decide, appeal, clusters) defines its own table,
 * declares it here and lists it in cmd_review.c's `tables`. */
extern const doge_review_sub doge_review_model_subs[];
extern const doge_review_sub doge_review_human_subs[];

/* The human side of `doge review` and `doge pulse report`
 * (cmd_review_human.c); argv[1] is the subcommand. decide with appeal = 1
 * records an appeal. */
struct json_t;
struct doge_review_run_stats;
int doge_cli_review_run(doge_cli *cli, int argc, char **argv);
int doge_cli_review_queue(doge_cli *cli, int argc, char **argv);
int doge_cli_review_show(doge_cli *cli, int argc, char **argv);
int doge_cli_review_decide(doge_cli *cli, int argc, char **argv, int appeal);
int doge_cli_pulse_report(doge_cli *cli, int argc, char **argv);
/* A review run's summary as one line on stdout, or as JSON (new reference). */
void doge_cli_review_print_stats(const char *week, const struct doge_review_run_stats *st);
struct json_t *doge_cli_review_stats_json(const char *week, const struct doge_review_run_stats *st);

/* `doge review clusters` (cmd_review_clusters.c): argv[0] is "clusters",
 * the options follow. Returns an exit code. */
int doge_cli_review_clusters(doge_cli *cli, int argc, char **argv);

/* The table, NULL-terminated (main.c). */
extern const doge_cmd *const doge_commands[];

const doge_cmd *doge_cli_find(const char *name);

/* Prints "doge CMD: message" and the hint to stderr; returns DOGE_EXIT_USAGE. */
int doge_cli_usage_error(const doge_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "doge: " + doge_error_last() to stderr; returns DOGE_EXIT_INPUT. */
int doge_cli_fail(void);

/* Prints "doge: " + the formatted message to stderr; returns DOGE_EXIT_INPUT. */
int doge_cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How messages name an input path: "standard input" for "-", else path. */
const char *doge_cli_input_label(const char *path);

/* Reads all of path ("-" is standard input), at most max bytes, into *out
 * (malloc'd, NUL-terminated, *len bytes without the NUL; the caller frees).
 * On failure prints the problem naming the input and returns
 * DOGE_EXIT_INPUT; else DOGE_EXIT_OK. */
int doge_cli_read_input(const char *path, size_t max, char **out, size_t *len);

/* Prints the full help of cmd to f. */
void doge_cli_print_help(const doge_cmd *cmd, FILE *f);

/* Resolves the workspace folder: -C, then DOGE_HOME, then ".". Static. */
const char *doge_cli_workspace_dir(const doge_cli *cli);

/* Common handling of "--help"/"-h" as first option: returns 1 if printed. */
int doge_cli_wants_help(const doge_cmd *cmd, int argc, char **argv);

struct doge_workspace;
/* Opens the workspace for a command (see doge_cli_workspace_dir); on failure
 * prints the error and returns DOGE_EXIT_INPUT, else DOGE_EXIT_OK. */
int doge_cli_open_workspace(const doge_cli *cli, struct doge_workspace **out);

/* Prints a jansson value as pretty JSON with a newline to stdout and releases
 * it (steals the reference). Returns DOGE_EXIT_OK. */
struct json_t;
int doge_cli_print_json(struct json_t *v);

/* Sets the library's last error to a message (for CLI-level checks that
 * then go through doge_cli_fail); returns DOGE_EINVAL. */
int doge__cli_error(const char *msg);

/* Parses a non-negative decimal int64 argument; prints a usage error naming
 * the option and returns DOGE_EXIT_USAGE when it is not one. */
int doge_cli_parse_index(const doge_cmd *cmd, const char *what, const char *s, int64_t *out);

#endif
