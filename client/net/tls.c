#include "net/tls.h"

CURLcode net_tls_pin(CURL *e, const char *ca_file)
{
    CURLcode rc;
    if ((rc = curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https")) != CURLE_OK ||
        (rc = curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https")) != CURLE_OK ||
        (rc = curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L)) != CURLE_OK ||
        (rc = curl_easy_setopt(e, CURLOPT_CAINFO, ca_file)) != CURLE_OK ||
        /* No system store (Debian's default capath). */
        (rc = curl_easy_setopt(e, CURLOPT_CAPATH, (char *)NULL)) != CURLE_OK ||
        (rc = curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L)) != CURLE_OK ||
        (rc = curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L)) != CURLE_OK ||
        (rc = curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2)) !=
            CURLE_OK ||
        /* The server speaks HTTP/1.1 with keep-alive; no HTTP/2 negotiation. */
        (rc = curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1)) != CURLE_OK)
        return rc;
    return CURLE_OK;
}
