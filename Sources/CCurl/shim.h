// The wrappers below call curl's variadic setters, whose compile-time type checks only see a
// runtime option number here; the typed signatures of these wrappers do that job instead.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/// curl_version_info for the headers' own version (CURLVERSION_NOW is a macro Swift cannot import).
static inline curl_version_info_data *tack_curl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

/// curl_global_init with CURL_GLOBAL_DEFAULT (a macro expression Swift cannot import).
static inline CURLcode tack_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

// Typed wrappers for curl_easy_setopt and curl_multi_setopt, which are C variadic functions and
// cannot be called from Swift.

/// Sets an option that takes a long.
static inline CURLcode tack_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a curl_off_t.
static inline CURLcode tack_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a C string (curl copies strings) or NULL.
static inline CURLcode tack_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a data pointer curl keeps (WRITEDATA, ERRORBUFFER, ...).
static inline CURLcode tack_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option that takes a curl_slist, which must outlive the transfer.
static inline CURLcode tack_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a blob option (CAINFO_BLOB, SSLCERT_BLOB, SSLKEY_BLOB); curl copies the bytes.
static inline CURLcode tack_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

/// The signature of WRITEFUNCTION and HEADERFUNCTION.
typedef size_t (*tack_curl_data_callback)(char *data, size_t size, size_t count, void *context);

/// Sets WRITEFUNCTION or HEADERFUNCTION.
static inline CURLcode tack_easy_setopt_data_callback(CURL *handle, CURLoption option, tack_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// Sets a multi option that takes a long.
static inline CURLMcode tack_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/// What a write callback returns to pause the transfer (the bytes are delivered again on resume).
static inline size_t tack_curl_writefunc_pause(void) {
    return CURL_WRITEFUNC_PAUSE;
}

/// Resumes a transfer paused by its write callback.
static inline CURLcode tack_curl_easy_unpause(CURL *handle) {
    return curl_easy_pause(handle, CURLPAUSE_CONT);
}
