// libarchive for the `splice` client, loaded on first use: linked at start-up it brought 13 libraries (libxml2 and
// ICU among them) into every `splice` command, about 1 ms each, for the one command (`cp`) that uses it. The
// types and constants come from libarchive's headers; the calls go through cls_archive_* (same arguments).
#ifndef CARCHIVELOADER_H
#define CARCHIVELOADER_H

#include <archive.h>
#include <archive_entry.h>

/// Loads libarchive once; returns NULL when it is there, else dlerror's text (the library or a symbol missing).
const char *cls_archive_load(void);

struct archive *cls_archive_read_new(void);
struct archive *cls_archive_read_disk_new(void);
struct archive *cls_archive_write_new(void);
struct archive *cls_archive_write_disk_new(void);
int cls_archive_read_free(struct archive *a);
int cls_archive_write_free(struct archive *a);
int cls_archive_read_disk_set_symlink_hybrid(struct archive *a);
int cls_archive_read_disk_set_symlink_physical(struct archive *a);
int cls_archive_read_disk_set_standard_lookup(struct archive *a);
int cls_archive_read_disk_open(struct archive *a, const char *path);
int cls_archive_read_disk_descend(struct archive *a);
int cls_archive_read_support_format_tar(struct archive *a);
int cls_archive_read_support_filter_all(struct archive *a);
int cls_archive_read_open(struct archive *a, void *client, archive_open_callback *open, archive_read_callback *read,
                          archive_close_callback *close);
int cls_archive_read_next_header(struct archive *a, struct archive_entry **entry);
int cls_archive_read_next_header2(struct archive *a, struct archive_entry *entry);
la_ssize_t cls_archive_read_data(struct archive *a, void *buffer, size_t size);
int cls_archive_read_data_block(struct archive *a, const void **buffer, size_t *size, la_int64_t *offset);
int cls_archive_write_set_format_pax_restricted(struct archive *a);
int cls_archive_write_set_bytes_in_last_block(struct archive *a, int bytes);
int cls_archive_write_open_fd(struct archive *a, int fd);
int cls_archive_write_disk_set_options(struct archive *a, int flags);
int cls_archive_write_header(struct archive *a, struct archive_entry *entry);
la_ssize_t cls_archive_write_data(struct archive *a, const void *buffer, size_t size);
la_ssize_t cls_archive_write_data_block(struct archive *a, const void *buffer, size_t size, la_int64_t offset);
int cls_archive_write_finish_entry(struct archive *a);
int cls_archive_write_close(struct archive *a);
const char *cls_archive_error_string(struct archive *a);
struct archive_entry *cls_archive_entry_new(void);
void cls_archive_entry_free(struct archive_entry *entry);
const char *cls_archive_entry_pathname(struct archive_entry *entry);
void cls_archive_entry_set_pathname(struct archive_entry *entry, const char *name);
const char *cls_archive_entry_hardlink(struct archive_entry *entry);
void cls_archive_entry_set_hardlink(struct archive_entry *entry, const char *target);
void cls_archive_entry_set_uid(struct archive_entry *entry, la_int64_t uid);
void cls_archive_entry_set_gid(struct archive_entry *entry, la_int64_t gid);
void cls_archive_entry_set_uname(struct archive_entry *entry, const char *name);
void cls_archive_entry_set_gname(struct archive_entry *entry, const char *name);
__LA_MODE_T cls_archive_entry_filetype(struct archive_entry *entry);
la_int64_t cls_archive_entry_size(struct archive_entry *entry);

#endif
