// Reliability of the core on hostile input: network specs with absurd sizes get an error, not
// an overflow or an allocation of terabytes; the IDX check (native/data/idx.h) accepts every
// valid file and rejects the rest with an error naming the problem; and every input kept in
// native/fuzz/regressions/ (inputs that once broke a fuzz target) runs cleanly.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "native/data/idx.h"
#include "native/fuzz/targets.h"
#include "native/test/harness.h"
#include "native/train/model.h"
#include "native/train/spec.h"

namespace {

// A spec of an input layer of shape `input` followed by the layer JSON `layer` (with its
// kind, name and shapes given in it).
std::string spec_with(const std::string& input, const std::string& layer) {
  return "{\"layers\":[{\"kind\":\"input\",\"name\":\"in\",\"inputShape\":" + input +
         ",\"outputShape\":" + input + "}," + layer + "]}";
}

const char* kInit = "{\"kind\":\"constant\",\"value\":0}";

std::string dense(const std::string& input, long units) {
  return "{\"kind\":\"dense\",\"name\":\"big\",\"inputShape\":" + input + ",\"outputShape\":[" +
         std::to_string(units) + "],\"numUnits\":" + std::to_string(units) +
         ",\"nonlinearity\":\"linear\",\"W\":" + kInit + ",\"b\":null}";
}

// IDX bytes: the magic number, dims, then payload bytes.
std::vector<uint8_t> idx_bytes(uint8_t code, const std::vector<uint32_t>& dims,
                               const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> bytes = {0, 0, code, static_cast<uint8_t>(dims.size())};
  for (uint32_t dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back((dim >> shift) & 0xFF);
  }
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return bytes;
}

lamina::IdxView parse(const std::vector<uint8_t>& bytes) {
  return lamina::parse_idx(bytes.data(), bytes.size(), "t.idx");
}

// The first element of an IDX file held in bytes (which must outlive any view of them).
double first_element(const std::vector<uint8_t>& bytes, uint64_t index = 0) {
  return lamina::idx_element(parse(bytes), index);
}

// The folder of regression inputs, from the repository root or from a build folder in it.
std::filesystem::path regressions_folder() {
  for (const char* candidate : {"native/fuzz/regressions", "../native/fuzz/regressions"}) {
    if (std::filesystem::is_directory(candidate)) return candidate;
  }
  return {};
}

std::vector<uint8_t> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

LAMINA_TEST(spec_rejects_tensors_over_2_31_values_before_allocating) {
  // 784 x 1e9 weights: named, with the limit, instead of an allocation of 3 TB.
  EXPECT_THROWS(lamina::parse_network_spec(spec_with("[784]", dense("[784]", 1000000000))),
                "network spec, layer 1 ('big'): W [784, 1000000000] holds more than "
                "2147483647 values (2^31 - 1), the most the core supports");

  // Shapes whose product overflows 64 bits do not wrap around into a small size.
  const std::string huge = "[1073741824,1073741824,1073741824,16]";
  EXPECT_THROWS(lamina::parse_network_spec(spec_with(huge, dense(huge, 1))),
                "network spec, layer 0 ('in'): inputShape [1073741824, 1073741824, "
                "1073741824, 16] holds more than 2147483647 values");

  // 2^30 input values pass the size check; 2^31 weights do not.
  EXPECT_THROWS(lamina::parse_network_spec(spec_with("[1073741824]", dense("[1073741824]", 2))),
                "W [1073741824, 2] holds more than 2147483647 values");
}

LAMINA_TEST(spec_rejects_padding_that_would_overflow_int_arithmetic) {
  // H + 2 x pad = 3 x 2^30 overflowed an int (undefined behaviour) and gave a wrong message.
  const std::string input = "[1,1073741824,1]";
  const std::string conv = "{\"kind\":\"conv2d\",\"name\":\"c\",\"inputShape\":" + input +
                           ",\"outputShape\":[1,1,1],\"numFilters\":1,\"filterSize\":[1,1],"
                           "\"stride\":[1073741824,1],\"pad\":[1073741824,0],"
                           "\"nonlinearity\":\"linear\",\"W\":" + kInit + ",\"b\":null}";
  EXPECT_THROWS(lamina::parse_network_spec(spec_with(input, conv)),
                "network spec, layer 1 ('c'): the padded input is 3221225472 x 1; "
                "the core supports at most 1073741824 (2^30) per axis, padding included");
  const std::string pool = "{\"kind\":\"maxpool2d\",\"name\":\"p\",\"inputShape\":[1,4,4],"
                           "\"outputShape\":[1,1,1],\"poolSize\":[2,2],\"stride\":[2,2],"
                           "\"pad\":[1073741824,0],\"ignoreBorder\":true}";
  EXPECT_THROWS(lamina::parse_network_spec(spec_with("[1,4,4]", pool)),
                "network spec, layer 1 ('p'): the padded input is 2147483652 x 4");
}

LAMINA_TEST(spec_rejects_networks_over_2_31_parameters_in_total) {
  // Three layers of 2^30 - 1 weights each: every layer fits, the network does not.
  std::string layers = "{\"layers\":[{\"kind\":\"input\",\"name\":\"in\",\"inputShape\":[1],"
                       "\"outputShape\":[1]}";
  for (int i = 0; i < 3; ++i) {
    // [1] -> [2^30 - 1] -> [1] -> [2^30 - 1]
    const std::string wide = "1073741823", in = i % 2 == 0 ? "1" : wide,
                      out = i % 2 == 0 ? wide : "1";
    layers += ",{\"kind\":\"dense\",\"name\":\"d" + std::to_string(i) + "\",\"inputShape\":[" +
              in + "],\"outputShape\":[" + out + "],\"numUnits\":" + out +
              ",\"nonlinearity\":\"linear\",\"W\":" + kInit + ",\"b\":null}";
  }
  layers += "]}";
  EXPECT_THROWS(lamina::parse_network_spec(layers),
                "network spec, layer 3 ('d2'): the network has more than 2147483647 learnable "
                "parameters (2^31 - 1) up to this layer");
}

LAMINA_TEST(idx_check_reads_every_type_big_endian) {
  const std::vector<uint8_t> ubytes = idx_bytes(0x08, {2, 3}, {1, 2, 3, 4, 5, 250});
  lamina::IdxView view = parse(ubytes);
  EXPECT_TRUE(view.type == lamina::IdxType::kUByte && view.count == 6 &&
                  view.dims == std::vector<uint32_t>({2, 3}) && view.header_size == 12 &&
                  view.data == ubytes.data() + 12 && view.data_size == 6,
              "ubyte view");
  EXPECT_TRUE(lamina::idx_element(view, 5) == 250.0, lamina::idx_element(view, 5));

  const std::vector<uint8_t> shorts = idx_bytes(0x0B, {2}, {0xFF, 0x38, 0x01, 0x00});
  EXPECT_TRUE(first_element(shorts) == -200.0 && first_element(shorts, 1) == 256.0, "int16");
  EXPECT_TRUE(first_element(idx_bytes(0x0C, {1}, {0x80, 0, 0, 0})) == -2147483648.0, "int32");
  EXPECT_TRUE(first_element(idx_bytes(0x0D, {1}, {0x3F, 0xC0, 0, 0})) == 1.5, "float32");
  const double pi = first_element(idx_bytes(0x0E, {1}, {0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44,
                                                         0x2D, 0x18}));
  EXPECT_TRUE(std::fabs(pi + 3.141592653589793) < 1e-15, "float64 ", pi);
  EXPECT_TRUE(first_element(idx_bytes(0x09, {1}, {0x80})) == -128.0, "byte");

  // A scalar (no dims) holds one element; a zero size makes the payload empty.
  EXPECT_TRUE(parse(idx_bytes(0x08, {}, {7})).count == 1, "scalar");
  EXPECT_TRUE(parse(idx_bytes(0x0E, {0, 4000000000u, 4000000000u}, {})).count == 0,
              "an empty array with huge other sizes");
}

LAMINA_TEST(idx_check_rejects_bad_files_naming_the_problem) {
  EXPECT_THROWS(parse({0, 0, 8}), "IDX file t.idx is truncated: an IDX header needs at least "
                                  "4 bytes but it holds 3");
  EXPECT_THROWS(parse({0x1f, 0x8b, 8, 0}), "t.idx is not an IDX file: it starts with bytes 0x1f "
                                           "0x8b, but an IDX file starts with two zero bytes");
  EXPECT_THROWS(parse({0, 0, 0x0A, 0}), "its element type code 0x0a is none of 0x08");
  EXPECT_THROWS(parse({0, 0, 8, 2, 0, 0, 0, 1}), "its header declares 2 dimensions and needs "
                                                 "12 bytes, but it holds 8");
  EXPECT_THROWS(parse(idx_bytes(0x0C, {3}, {0, 0, 0, 1})),
                "IDX file t.idx is truncated: its header (int32, dims 3) promises 12 bytes of "
                "data, but it holds 4 after the 8-byte header");
  EXPECT_THROWS(parse(idx_bytes(0x08, {1}, {1, 2})),
                "is larger than its header promises: its header (unsigned byte, dims 1) "
                "promises 1 bytes of data, but it holds 2");

  // Sizes whose product overflows 64 bits: an error, not a wrapped-around small size.
  std::vector<uint32_t> dims(3, 4294967295u);
  EXPECT_THROWS(parse(idx_bytes(0x0E, dims, {})), "promises more than 2^64 bytes of data");
  // 2^32 x 2^32 x 8 bytes wraps to exactly 0 in 64 bits: still an overflow.
  EXPECT_THROWS(parse(idx_bytes(0x0E, {65536, 65536, 65536, 65536}, {})),
                "promises more than 2^64 bytes");
}

LAMINA_TEST(fuzz_regression_inputs_run_cleanly) {
  const std::filesystem::path folder = regressions_folder();
  EXPECT_TRUE(!folder.empty(), "native/fuzz/regressions not found from ",
              std::filesystem::current_path().string(),
              " (run the kernel tests from the repository root or a build folder in it)");
  int count = 0;
  for (const char* target : {"spec", "idx"}) {
    const std::filesystem::path sub = folder / target;
    if (!std::filesystem::is_directory(sub)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(sub)) {
      if (!entry.is_regular_file() || entry.path().filename().string()[0] == '.') continue;
      const std::vector<uint8_t> bytes = read_file(entry.path());
      try {
        if (std::strcmp(target, "spec") == 0) {
          lamina_fuzz::run_spec(bytes.data(), bytes.size());
        } else {
          lamina_fuzz::run_idx(bytes.data(), bytes.size());
        }
      } catch (const std::exception& error) {
        EXPECT_TRUE(false, entry.path().string(), " threw: ", error.what());
      }
      ++count;
    }
  }
  std::printf("      %d fuzz regression inputs\n", count);
}
