// stipple/design/diagram.h: the consultation diagram of a design.
//
// An orthographic picture of the head from one side, the kind a practitioner
// draws for a client: the scalp shaded as a solid, each zone tinted and
// outlined, hair loss darkening it by how much hair is gone, the treated area
// hatched, the planned hairline and its transition band, scars in red, and the
// landmarks and zones labelled. Pixels are computed per ray against the head;
// lines and text are drawn with Cairo.
#pragma once

#include <string>

#include "stipple/design/design.h"

namespace stipple::design {

enum class View { top, front, left, right, back };

struct DiagramOptions {
  View view = View::top;
  int width = 900, height = 900;
  int threads = 1;  // rows are shaded in parallel; the picture is the same for any count
  // For a client's document: the sub-title leaves out the practitioner's figures
  // (pigment shade and dilution, seed).
  bool for_client = false;
};

// PNG bytes of the diagram. Errors (a head that cannot be built) name the field.
Result<std::string> render_diagram(const Design& d, const DiagramOptions& options);

}  // namespace stipple::design

namespace stipple {
template <>
inline constexpr auto enum_names<design::View> =
    std::array<std::string_view, 5>{"top", "front", "left", "right", "back"};
}
