"""Read a subunit v2 stream on stdin; print 'N passed, N failed, N skipped'."""

import sys

import subunit
import testtools


def main():
    stream = subunit.ByteStreamToStreamResult(sys.stdin.buffer,
                                              non_subunit_name='stdout')
    summary = testtools.StreamSummary()
    summary.startTestRun()
    stream.run(summary)
    summary.stopTestRun()
    failed = len(summary.errors) + len(summary.failures)
    skipped = len(summary.skipped)
    passed = summary.testsRun - failed - skipped
    print(f'{passed} passed, {failed} failed, {skipped} skipped')


if __name__ == '__main__':
    main()
