#!/usr/bin/env python3
"""Prints each JSON number of standard input (one a line) as RFC 8785 serialises it: the IEEE 754
double nearest to it, written as ECMAScript's Number::toString writes it (ECMA-262, section
Number::toString; RFC 8785 section 3.2.2.3). An independent reading of that rule, for a test to
compare with the ledger's canonical form, which the hash chain covers: an auditor's JCS library
must print every number exactly as the ledger did, or the hashes differ.

Python's repr gives the shortest digits that read back as the same double (the nearest such when
there are several), which is what ECMAScript's s, k and n are; only the layout is ECMAScript's.

usage: es6number.py < numbers.txt   (or `from es6number import es6`)
"""
import sys
from decimal import Decimal


def es6(text):
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        return "not finite"
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es6(repr(-value))
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    s = "".join(map(str, digits))
    k = len(s)
    n = exponent + k
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + s
    power = n - 1
    mark = "e+" if power >= 0 else "e-"
    return (s if k == 1 else s[0] + "." + s[1:]) + mark + str(abs(power))


if __name__ == "__main__":
    for line in sys.stdin:
        print(es6(line.strip()))
