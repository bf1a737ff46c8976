#include <curl/curl.h>

/// curl_version_info for the headers' own version (CURLVERSION_NOW is a macro Swift cannot import).
static inline curl_version_info_data *tack_curl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}
