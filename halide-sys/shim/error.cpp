// Error objects and strings handed to the caller.
#include "shim.h"

HL_API const char *hl_error_message(const hl_error *e) {
    HL_GUARD(nullptr, "", { return e ? e->message.c_str() : ""; });
}

HL_API hl_error_kind hl_error_kind_of(const hl_error *e) {
    HL_GUARD(nullptr, HL_ERROR_OTHER, { return e ? e->kind : HL_ERROR_OTHER; });
}

HL_API void hl_error_free(hl_error *e) {
    HL_GUARD(nullptr, , { delete e; });
}

HL_API void hl_string_free(char *s) {
    HL_GUARD(nullptr, , { std::free(s); });
}
