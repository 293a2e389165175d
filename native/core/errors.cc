#include "native/core/errors.h"

namespace lamina {

void throw_assert(const char* expression, const char* file, int line) {
  throw Error(error_message("internal error: assertion '", expression, "' failed at ", file, ":",
                            line, "; please report this with the code that triggered it"));
}

}  // namespace lamina
