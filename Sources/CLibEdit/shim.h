// Swift cannot call C variadic functions, and libedit's configuration entry
// points (el_set, el_get, history) are all variadic. Each wrapper below fixes
// one operation's argument list so Swift sees an ordinary prototype.
#ifndef KELP_CLIBEDIT_SHIM_H
#define KELP_CLIBEDIT_SHIM_H

// glibc already provides wcsdup; without this histedit.h redeclares it.
#ifndef HAVE_WCSDUP
#define HAVE_WCSDUP 1
#endif
#include <histedit.h>
#include <stddef.h>

// histedit.h only documents these callback types in a comment.
typedef char *(*kelp_el_prompt_func)(EditLine *);
typedef unsigned char (*kelp_el_command_func)(EditLine *, int);

// MARK: - setup

/// el_init on the process's standard streams. Swift 6 refuses to read the
/// C globals stdin/stdout/stderr (mutable shared state), so C passes them.
static inline EditLine *kelp_el_init_standard_streams(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

// MARK: - el_set / el_get

/// Sets the prompt callback. Characters of the prompt enclosed between two
/// `ignore` characters are sent to the terminal but take no screen width,
/// which lets a prompt carry ANSI colour sequences. Pass '\0' for none.
static inline int kelp_el_set_prompt(EditLine *el, kelp_el_prompt_func prompt,
                                     char ignore) {
    return el_set(el, EL_PROMPT_ESC, prompt, ignore);
}

/// `editor` is "emacs" or "vi".
static inline int kelp_el_set_editor(EditLine *el, const char *editor) {
    return el_set(el, EL_EDITOR, editor);
}

static inline int kelp_el_set_history(EditLine *el, History *hist) {
    return el_set(el, EL_HIST, history, hist);
}

/// Registers a named editor command that key bindings can refer to.
static inline int kelp_el_add_function(EditLine *el, const char *name,
                                       const char *help,
                                       kelp_el_command_func func) {
    return el_set(el, EL_ADDFN, name, help, func);
}

/// Binds `key` (in bind(1) notation, e.g. "^I") to the command `command`.
static inline int kelp_el_bind(EditLine *el, const char *key,
                               const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

/// With handling on, libedit restores the terminal before forwarding
/// SIGINT, SIGTSTP, SIGTERM... to the program's own handlers, and
/// tracks SIGWINCH.
static inline int kelp_el_set_signal_handling(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

static inline int kelp_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *kelp_el_get_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0)
        return NULL;
    return data;
}

static inline int kelp_el_set_unbuffered(EditLine *el, int on) {
    return el_set(el, EL_UNBUFFERED, on);
}

/// Replaces the function libedit reads each character with. Pass NULL
/// (EL_BUILTIN_GETCFN) to restore the built-in reader.
static inline int kelp_el_set_getc(EditLine *el, el_rfunc_t getc) {
    return el_set(el, EL_GETCFN, getc);
}

/// The stream libedit writes to (fd 1 of el_init); output a command
/// prints itself must go through it to stay ordered with libedit's own.
static inline FILE *kelp_el_output_file(EditLine *el) {
    FILE *fp = NULL;
    if (el_get(el, EL_GETFP, 1, &fp) != 0)
        return NULL;
    return fp;
}

/// Terminal width in columns as libedit sees it, or 0 if unknown.
static inline int kelp_el_terminal_columns(EditLine *el) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns, (void *)NULL) != 0)
        return 0;
    return columns;
}

// MARK: - history

static inline int kelp_history_set_size(History *h, HistEvent *ev, int size) {
    return history(h, ev, H_SETSIZE, size);
}

/// Stores `line` as a new entry; embedded newlines stay part of the entry.
static inline int kelp_history_enter(History *h, HistEvent *ev,
                                     const char *line) {
    return history(h, ev, H_ENTER, line);
}

/// Returns the number of entries read, or -1.
static inline int kelp_history_load(History *h, HistEvent *ev,
                                    const char *path) {
    return history(h, ev, H_LOAD, path);
}

/// Returns the number of entries written, or -1.
static inline int kelp_history_save(History *h, HistEvent *ev,
                                    const char *path) {
    return history(h, ev, H_SAVE, path);
}

/// When on, an entry equal to the newest one is not added again.
static inline int kelp_history_set_unique(History *h, HistEvent *ev, int on) {
    return history(h, ev, H_SETUNIQUE, on);
}

// MARK: - signal flag

// Swift has neither `volatile` nor atomic operations on a raw pointer, so a
// loop polling a flag written by a signal handler could legally read it once
// and never again. These force a real memory access every time.

static inline int kelp_flag_load(const int *flag) {
    return __atomic_load_n(flag, __ATOMIC_SEQ_CST);
}

static inline void kelp_flag_store(int *flag, int value) {
    __atomic_store_n(flag, value, __ATOMIC_SEQ_CST);
}

/// Stores `value` and returns the previous value in one step.
static inline int kelp_flag_exchange(int *flag, int value) {
    return __atomic_exchange_n(flag, value, __ATOMIC_SEQ_CST);
}

#endif
