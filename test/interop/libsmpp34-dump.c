/* Reads one hex-encoded SMPP PDU per line on stdin, decodes it with libsmpp34
 * (an independent C implementation of SMPP 3.4) and prints its field dump.
 * Each PDU's output is framed by "=== BEGIN n" / "=== END n rc=<code>" lines,
 * and an unpack failure prints the library's own error text. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libsmpp34/smpp34.h>
#include <libsmpp34/smpp34_structs.h>
#include <libsmpp34/smpp34_params.h>

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int main(void) {
  static char line[1 << 18];
  static uint8_t pdu[1 << 17];
  static uint8_t dump[1 << 18];
  static uint64_t parsed[1 << 15]; /* large, aligned space for any PDU struct */
  int n = 0;
  while (fgets(line, sizeof line, stdin)) {
    int len = 0;
    for (char *p = line; p[0] && p[1]; p += 2) {
      int hi = hexval(p[0]), lo = hexval(p[1]);
      if (hi < 0 || lo < 0) break;
      pdu[len++] = (uint8_t)(hi * 16 + lo);
    }
    if (len == 0) continue;
    memset(parsed, 0, sizeof parsed);
    printf("=== BEGIN %d\n", n);
    int rc = smpp34_unpack2(parsed, pdu, len);
    if (rc != 0) {
      printf("unpack error: %s\n", smpp34_strerror);
    } else {
      memset(dump, 0, sizeof dump);
      if (smpp34_dumpPdu2(dump, sizeof dump, parsed) != 0) printf("dump error: %s\n", smpp34_strerror);
      else printf("%s\n", dump);
    }
    printf("=== END %d rc=%d\n", n, rc);
    n++;
  }
  return 0;
}
