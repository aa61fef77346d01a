// The documents/ library as the DocumentEngine of app::DocumentService.
// Separate from gongkai_app so that the application layer's tests do not
// need the DOCX and PDF libraries. Thread-safe (pure functions).
#ifndef GONGKAI_APP_DOCUMENT_ENGINE_H_
#define GONGKAI_APP_DOCUMENT_ENGINE_H_

#include "app/document_service.h"

namespace gongkai::app {

DocumentEngine LibraryEngine();

}  // namespace gongkai::app

#endif  // GONGKAI_APP_DOCUMENT_ENGINE_H_
