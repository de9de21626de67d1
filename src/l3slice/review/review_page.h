#pragma once
// The review page (assets/review.html), built into the binary so nothing loads from elsewhere.
#include <string>

namespace l3 {

const std::string& review_page_html();

}  // namespace l3
