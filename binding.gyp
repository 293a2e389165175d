{
  # Used by node-gyp-build (install from source) and prebuildify. The list of sources and the
  # GEMM provider come from native/tools/configure.js, which CMakeLists.txt reads too.
  "variables": {
    "lamina_gemm%": "<!(node native/tools/configure.js gemm)",
    "lamina_version%": "<!(node native/tools/configure.js version)"
  },
  "targets": [
    {
      "target_name": "lamina",
      "sources": ["<!@(node native/tools/configure.js sources)"],
      "include_dirs": [
        ".",
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      # NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED: every array crosses as a copy (Electron).
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: a worker thread terminated while a binding or
      # a training callback runs makes Node-API calls fail; without it node-addon-api turns
      # that into a fatal error or an uncaught C++ exception that ends the whole process.
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "LAMINA_VERSION=\"<(lamina_version)\"",
        "LAMINA_BUILD_FILE=\"binding.gyp\""
      ],
      "cflags!": ["-fno-exceptions", "-O2"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-O2"],
      "cflags": ["-O3", "-fvisibility=hidden"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-fopenmp"],
      "ldflags": ["-fopenmp", "-static-libstdc++", "-static-libgcc", "-Wl,-rpath,'$$ORIGIN'"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "OpenMP": "true", "AdditionalOptions": ["/std:c++17"] }
      },
      "conditions": [
        ["lamina_gemm=='openblas'", {
          "defines": ["LAMINA_GEMM_CBLAS"],
          "include_dirs": ["<!(node native/tools/configure.js include)"],
          "libraries": ["<!(node native/tools/configure.js library)", "-lpthread"]
        }]
      ]
    }
  ]
}
