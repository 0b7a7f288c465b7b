// See CArchiveLoader.h: libarchive opened with dlopen on the first call of cls_archive_load.
#include "CArchiveLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

static struct {
    __typeof__(archive_read_new) *archive_read_new;
    __typeof__(archive_read_disk_new) *archive_read_disk_new;
    __typeof__(archive_write_new) *archive_write_new;
    __typeof__(archive_write_disk_new) *archive_write_disk_new;
    __typeof__(archive_read_free) *archive_read_free;
    __typeof__(archive_write_free) *archive_write_free;
    __typeof__(archive_read_disk_set_symlink_hybrid) *archive_read_disk_set_symlink_hybrid;
    __typeof__(archive_read_disk_set_symlink_physical) *archive_read_disk_set_symlink_physical;
    __typeof__(archive_read_disk_set_standard_lookup) *archive_read_disk_set_standard_lookup;
    __typeof__(archive_read_disk_open) *archive_read_disk_open;
    __typeof__(archive_read_disk_descend) *archive_read_disk_descend;
    __typeof__(archive_read_support_format_tar) *archive_read_support_format_tar;
    __typeof__(archive_read_support_filter_all) *archive_read_support_filter_all;
    __typeof__(archive_read_open) *archive_read_open;
    __typeof__(archive_read_next_header) *archive_read_next_header;
    __typeof__(archive_read_next_header2) *archive_read_next_header2;
    __typeof__(archive_read_data) *archive_read_data;
    __typeof__(archive_read_data_block) *archive_read_data_block;
    __typeof__(archive_write_set_format_pax_restricted) *archive_write_set_format_pax_restricted;
    __typeof__(archive_write_set_bytes_in_last_block) *archive_write_set_bytes_in_last_block;
    __typeof__(archive_write_open_fd) *archive_write_open_fd;
    __typeof__(archive_write_disk_set_options) *archive_write_disk_set_options;
    __typeof__(archive_write_header) *archive_write_header;
    __typeof__(archive_write_data) *archive_write_data;
    __typeof__(archive_write_data_block) *archive_write_data_block;
    __typeof__(archive_write_finish_entry) *archive_write_finish_entry;
    __typeof__(archive_write_close) *archive_write_close;
    __typeof__(archive_error_string) *archive_error_string;
    __typeof__(archive_entry_new) *archive_entry_new;
    __typeof__(archive_entry_free) *archive_entry_free;
    __typeof__(archive_entry_pathname) *archive_entry_pathname;
    __typeof__(archive_entry_set_pathname) *archive_entry_set_pathname;
    __typeof__(archive_entry_hardlink) *archive_entry_hardlink;
    __typeof__(archive_entry_set_hardlink) *archive_entry_set_hardlink;
    __typeof__(archive_entry_set_uid) *archive_entry_set_uid;
    __typeof__(archive_entry_set_gid) *archive_entry_set_gid;
    __typeof__(archive_entry_set_uname) *archive_entry_set_uname;
    __typeof__(archive_entry_set_gname) *archive_entry_set_gname;
    __typeof__(archive_entry_filetype) *archive_entry_filetype;
    __typeof__(archive_entry_size) *archive_entry_size;
} table;

static const char *failure;
// dlerror's text, copied: its own buffer is reused by the next dl call.
static char failureText[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(failureText, sizeof failureText, "%s", dlerror());
        failure = failureText;
        return;
    }
#define SYMBOL(name)                                                    \
    if ((table.name = dlsym(library, #name)) == NULL) {                 \
        snprintf(failureText, sizeof failureText, "%s", dlerror());     \
        failure = failureText;                                          \
        return;                                                         \
    }
    SYMBOL(archive_read_new)
    SYMBOL(archive_read_disk_new)
    SYMBOL(archive_write_new)
    SYMBOL(archive_write_disk_new)
    SYMBOL(archive_read_free)
    SYMBOL(archive_write_free)
    SYMBOL(archive_read_disk_set_symlink_hybrid)
    SYMBOL(archive_read_disk_set_symlink_physical)
    SYMBOL(archive_read_disk_set_standard_lookup)
    SYMBOL(archive_read_disk_open)
    SYMBOL(archive_read_disk_descend)
    SYMBOL(archive_read_support_format_tar)
    SYMBOL(archive_read_support_filter_all)
    SYMBOL(archive_read_open)
    SYMBOL(archive_read_next_header)
    SYMBOL(archive_read_next_header2)
    SYMBOL(archive_read_data)
    SYMBOL(archive_read_data_block)
    SYMBOL(archive_write_set_format_pax_restricted)
    SYMBOL(archive_write_set_bytes_in_last_block)
    SYMBOL(archive_write_open_fd)
    SYMBOL(archive_write_disk_set_options)
    SYMBOL(archive_write_header)
    SYMBOL(archive_write_data)
    SYMBOL(archive_write_data_block)
    SYMBOL(archive_write_finish_entry)
    SYMBOL(archive_write_close)
    SYMBOL(archive_error_string)
    SYMBOL(archive_entry_new)
    SYMBOL(archive_entry_free)
    SYMBOL(archive_entry_pathname)
    SYMBOL(archive_entry_set_pathname)
    SYMBOL(archive_entry_hardlink)
    SYMBOL(archive_entry_set_hardlink)
    SYMBOL(archive_entry_set_uid)
    SYMBOL(archive_entry_set_gid)
    SYMBOL(archive_entry_set_uname)
    SYMBOL(archive_entry_set_gname)
    SYMBOL(archive_entry_filetype)
    SYMBOL(archive_entry_size)
#undef SYMBOL
}

const char *cls_archive_load(void) {
    pthread_once(&once, load);
    return failure;
}

struct archive *cls_archive_read_new(void) {
    return table.archive_read_new();
}

struct archive *cls_archive_read_disk_new(void) {
    return table.archive_read_disk_new();
}

struct archive *cls_archive_write_new(void) {
    return table.archive_write_new();
}

struct archive *cls_archive_write_disk_new(void) {
    return table.archive_write_disk_new();
}

int cls_archive_read_free(struct archive *a) {
    return table.archive_read_free(a);
}

int cls_archive_write_free(struct archive *a) {
    return table.archive_write_free(a);
}

int cls_archive_read_disk_set_symlink_hybrid(struct archive *a) {
    return table.archive_read_disk_set_symlink_hybrid(a);
}

int cls_archive_read_disk_set_symlink_physical(struct archive *a) {
    return table.archive_read_disk_set_symlink_physical(a);
}

int cls_archive_read_disk_set_standard_lookup(struct archive *a) {
    return table.archive_read_disk_set_standard_lookup(a);
}

int cls_archive_read_disk_open(struct archive *a, const char *path) {
    return table.archive_read_disk_open(a, path);
}

int cls_archive_read_disk_descend(struct archive *a) {
    return table.archive_read_disk_descend(a);
}

int cls_archive_read_support_format_tar(struct archive *a) {
    return table.archive_read_support_format_tar(a);
}

int cls_archive_read_support_filter_all(struct archive *a) {
    return table.archive_read_support_filter_all(a);
}

int cls_archive_read_open(struct archive *a, void *client, archive_open_callback *open, archive_read_callback *read,
                          archive_close_callback *close) {
    return table.archive_read_open(a, client, open, read, close);
}

int cls_archive_read_next_header(struct archive *a, struct archive_entry **entry) {
    return table.archive_read_next_header(a, entry);
}

int cls_archive_read_next_header2(struct archive *a, struct archive_entry *entry) {
    return table.archive_read_next_header2(a, entry);
}

la_ssize_t cls_archive_read_data(struct archive *a, void *buffer, size_t size) {
    return table.archive_read_data(a, buffer, size);
}

int cls_archive_read_data_block(struct archive *a, const void **buffer, size_t *size, la_int64_t *offset) {
    return table.archive_read_data_block(a, buffer, size, offset);
}

int cls_archive_write_set_format_pax_restricted(struct archive *a) {
    return table.archive_write_set_format_pax_restricted(a);
}

int cls_archive_write_set_bytes_in_last_block(struct archive *a, int bytes) {
    return table.archive_write_set_bytes_in_last_block(a, bytes);
}

int cls_archive_write_open_fd(struct archive *a, int fd) {
    return table.archive_write_open_fd(a, fd);
}

int cls_archive_write_disk_set_options(struct archive *a, int flags) {
    return table.archive_write_disk_set_options(a, flags);
}

int cls_archive_write_header(struct archive *a, struct archive_entry *entry) {
    return table.archive_write_header(a, entry);
}

la_ssize_t cls_archive_write_data(struct archive *a, const void *buffer, size_t size) {
    return table.archive_write_data(a, buffer, size);
}

la_ssize_t cls_archive_write_data_block(struct archive *a, const void *buffer, size_t size, la_int64_t offset) {
    return table.archive_write_data_block(a, buffer, size, offset);
}

int cls_archive_write_finish_entry(struct archive *a) {
    return table.archive_write_finish_entry(a);
}

int cls_archive_write_close(struct archive *a) {
    return table.archive_write_close(a);
}

const char *cls_archive_error_string(struct archive *a) {
    return table.archive_error_string(a);
}

struct archive_entry *cls_archive_entry_new(void) {
    return table.archive_entry_new();
}

void cls_archive_entry_free(struct archive_entry *entry) {
    table.archive_entry_free(entry);
}

const char *cls_archive_entry_pathname(struct archive_entry *entry) {
    return table.archive_entry_pathname(entry);
}

void cls_archive_entry_set_pathname(struct archive_entry *entry, const char *name) {
    table.archive_entry_set_pathname(entry, name);
}

const char *cls_archive_entry_hardlink(struct archive_entry *entry) {
    return table.archive_entry_hardlink(entry);
}

void cls_archive_entry_set_hardlink(struct archive_entry *entry, const char *target) {
    table.archive_entry_set_hardlink(entry, target);
}

void cls_archive_entry_set_uid(struct archive_entry *entry, la_int64_t uid) {
    table.archive_entry_set_uid(entry, uid);
}

void cls_archive_entry_set_gid(struct archive_entry *entry, la_int64_t gid) {
    table.archive_entry_set_gid(entry, gid);
}

void cls_archive_entry_set_uname(struct archive_entry *entry, const char *name) {
    table.archive_entry_set_uname(entry, name);
}

void cls_archive_entry_set_gname(struct archive_entry *entry, const char *name) {
    table.archive_entry_set_gname(entry, name);
}

__LA_MODE_T cls_archive_entry_filetype(struct archive_entry *entry) {
    return table.archive_entry_filetype(entry);
}

la_int64_t cls_archive_entry_size(struct archive_entry *entry) {
    return table.archive_entry_size(entry);
}
