/* main() for every unit-test executable: runs the file's suite and prints
 * Check's summary line ("100%: Checks: N, Failures: 0, Errors: 0"). */
#include "k2e_test.h"
#include <stdlib.h>

int main(void)
{
    SRunner *runner = srunner_create(k2e_test_suite());
    srunner_run_all(runner, CK_ENV);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
