#include "native/data/idx.h"

#include <cstdint>
#include <cstring>

#include "native/core/errors.h"

namespace lamina {
namespace {

// The element size of a type code, or 0 for a code IDX does not define.
size_t element_size_of(uint8_t code) {
  switch (code) {
    case 0x08:
    case 0x09: return 1;
    case 0x0B: return 2;
    case 0x0C:
    case 0x0D: return 4;
    case 0x0E: return 8;
    default: return 0;
  }
}

// a x b, or false when the product does not fit in 64 bits (portable: MSVC has no builtin).
bool multiply(uint64_t a, uint64_t b, uint64_t* product) {
  if (b != 0 && a > UINT64_MAX / b) return false;
  *product = a * b;
  return true;
}

uint32_t read_u32_be(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

uint64_t read_be(const uint8_t* p, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | p[i];
  return value;
}

std::string hex(uint8_t byte) {
  const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[byte >> 4] + digits[byte & 15];
}

std::string dims_text(const std::vector<uint32_t>& dims) {
  if (dims.empty()) return "a scalar";
  std::string text;
  for (size_t i = 0; i < dims.size(); ++i) text += (i == 0 ? "" : " x ") + std::to_string(dims[i]);
  return text;
}

}  // namespace

const char* idx_type_name(IdxType type) {
  switch (type) {
    case IdxType::kUByte: return "unsigned byte";
    case IdxType::kByte: return "signed byte";
    case IdxType::kShort: return "int16";
    case IdxType::kInt: return "int32";
    case IdxType::kFloat: return "float32";
    case IdxType::kDouble: return "float64";
  }
  return "unknown";
}

IdxView parse_idx(const uint8_t* bytes, size_t size, const std::string& name) {
  // Step 1: the magic number: two zero bytes, a type code, the number of dimensions.
  LAMINA_CHECK(bytes != nullptr || size == 0, "IDX ", name, ": no buffer");
  LAMINA_CHECK(size >= 4, "IDX file ", name, " is truncated: an IDX header needs at least 4 "
               "bytes but it holds ", size);
  LAMINA_CHECK(bytes[0] == 0 && bytes[1] == 0, name, " is not an IDX file: it starts with bytes ",
               hex(bytes[0]), " ", hex(bytes[1]), ", but an IDX file starts with two zero bytes");
  IdxView view;
  view.element_size = element_size_of(bytes[2]);
  LAMINA_CHECK(view.element_size != 0, name, " is not an IDX file: its element type code ",
               hex(bytes[2]), " is none of 0x08 (unsigned byte), 0x09 (signed byte), 0x0b "
               "(int16), 0x0c (int32), 0x0d (float32), 0x0e (float64)");
  view.type = static_cast<IdxType>(bytes[2]);
  const size_t ndim = bytes[3];

  // Step 2: the sizes. At most 4 + 4 x 255 bytes, so no overflow here.
  view.header_size = 4 + 4 * ndim;
  LAMINA_CHECK(size >= view.header_size, "IDX file ", name, " is truncated: its header "
               "declares ", ndim, " dimensions and needs ", view.header_size,
               " bytes, but it holds ", size);
  view.dims.resize(ndim);
  bool overflow = false;
  for (size_t axis = 0; axis < ndim; ++axis) {
    view.dims[axis] = read_u32_be(bytes + 4 + 4 * axis);
    uint64_t product = 0;
    if (!multiply(view.count, view.dims[axis], &product)) overflow = true;
    view.count = product;
  }
  // A zero size makes the payload empty whatever the other sizes are.
  for (uint32_t dim : view.dims) {
    if (dim == 0) {
      overflow = false;
      view.count = 0;
    }
  }

  // Step 3: the payload must be exactly count x element_size bytes.
  uint64_t data_size = 0;
  if (!multiply(view.count, view.element_size, &data_size)) overflow = true;
  const uint64_t available = size - view.header_size;
  if (overflow || data_size != available) {
    const bool truncated = overflow || data_size > available;
    throw Error(error_message(
        "IDX file ", name, truncated ? " is truncated" : " is larger than its header promises",
        ": its header (", idx_type_name(view.type), ", dims ", dims_text(view.dims),
        ") promises ", overflow ? std::string("more than 2^64") : std::to_string(data_size),
        " bytes of data, but it holds ", available, " after the ", view.header_size,
        "-byte header"));
  }
  view.data = bytes + view.header_size;
  view.data_size = static_cast<size_t>(data_size);
  return view;
}

double idx_element(const IdxView& view, uint64_t index) {
  LAMINA_ASSERT(index < view.count);
  const uint8_t* p = view.data + index * view.element_size;
  const uint64_t raw = read_be(p, view.element_size);
  switch (view.type) {
    case IdxType::kUByte: return static_cast<double>(static_cast<uint8_t>(raw));
    case IdxType::kByte: return static_cast<double>(static_cast<int8_t>(raw));
    case IdxType::kShort: return static_cast<double>(static_cast<int16_t>(raw));
    case IdxType::kInt: return static_cast<double>(static_cast<int32_t>(raw));
    case IdxType::kFloat: {
      const uint32_t bits = static_cast<uint32_t>(raw);
      float value;
      std::memcpy(&value, &bits, sizeof value);
      return value;
    }
    case IdxType::kDouble: {
      double value;
      std::memcpy(&value, &raw, sizeof value);
      return value;
    }
  }
  return 0.0;
}

}  // namespace lamina
