#ifndef ORDERFLOW_CURL_H
#define ORDERFLOW_CURL_H

#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed
// wrapper per kind of argument.
CURLcode orderflow_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode orderflow_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode orderflow_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode orderflow_curl_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);
CURLcode orderflow_curl_setopt_read_callback(CURL *handle, CURLoption option, curl_read_callback callback);
CURLcode orderflow_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
