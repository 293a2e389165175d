// IDX files, the format of MNIST, checked in memory: the header (two zero bytes, the element
// type, the number of dimensions d, then d big-endian uint32 sizes) and the payload (the
// product of the sizes times the element size, big-endian). parse_idx returns a view of the
// bytes it was given and copies nothing; every size is computed with overflow-checked 64-bit
// arithmetic, so any bytes at all give either a view or a lamina::Error, never a read outside
// the buffer. lib/data/idx.ts is the reader the library uses; this is the core's own check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lamina {

enum class IdxType : uint8_t {
  kUByte = 0x08,   // unsigned byte
  kByte = 0x09,    // signed byte
  kShort = 0x0B,   // int16
  kInt = 0x0C,     // int32
  kFloat = 0x0D,   // float32
  kDouble = 0x0E,  // float64
};

// A checked IDX file: its type, sizes and where its elements are (inside the parsed buffer).
struct IdxView {
  IdxType type = IdxType::kUByte;
  size_t element_size = 1;      // bytes per element: 1, 2, 4 or 8
  std::vector<uint32_t> dims;   // outermost first; empty for a scalar
  uint64_t count = 1;           // elements: the product of dims
  size_t header_size = 4;       // 4 + 4 x dims
  const uint8_t* data = nullptr;  // count x element_size bytes, big-endian
  size_t data_size = 0;
};

// Checks that bytes [0, size) hold exactly one IDX file and returns its view. name is used in
// messages ("train-images-idx3-ubyte").
//
// Throws lamina::Error naming the file for fewer than 4 bytes, a first two bytes other than
// zero, an unknown type code, a header cut short, or a payload longer or shorter than the
// sizes promise (with both byte counts).
IdxView parse_idx(const uint8_t* bytes, size_t size, const std::string& name = "the buffer");

// Element index of the view as a double, converted from big-endian; index < view.count.
double idx_element(const IdxView& view, uint64_t index);

// The name the format's description uses for a type: "unsigned byte", "int16", ...
const char* idx_type_name(IdxType type);

}  // namespace lamina
