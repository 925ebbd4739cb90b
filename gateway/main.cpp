#include <curl/curl.h>

#include <iostream>

#include "gateway/cli/command.h"

int main(int argc, char** argv) {
  // libcurl's global state must be set up once, before any thread uses it.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::cerr << "switchboard: cannot initialise libcurl\n";
    return 1;
  }
  int rc = sb::cli::main_dispatch(argc, argv, {std::cout, std::cerr});
  curl_global_cleanup();
  return rc;
}
