/* The one TLS policy of every HTTPS request the TV client and djtv-cast make, so none of them
 * can drift from it: only the pinned CA file is trusted (not the system store), the host name
 * is checked, TLS 1.2 or later, HTTPS only and no redirects, HTTP/1.1 (what the server
 * speaks). There is deliberately no way to loosen it. */
#ifndef DJTV_NET_TLS_H
#define DJTV_NET_TLS_H

#include <curl/curl.h>

/* Set the policy on E with CA_FILE (a PEM file) as the only trust anchor. Returns the first
 * option curl refused, or CURLE_OK. */
CURLcode net_tls_pin(CURL *e, const char *ca_file);

#endif
