// Privacy detector throughput: PrivacyScanner::scan over prompts of 1, 4, 16 and 64 KB of
// clean prose and of PII-dense text, with the built-in detectors and with a custom regex
// and keyword detector added. Prints MB/s (bytes per second of this thread's CPU time, so
// other load on the machine does not count) and the per-scan wall-clock latency percentiles
// (which do include preemption on a busy machine).
//   privacy_bench [seconds per case, default 0.3] [clean|pii-dense: only that text]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "policies/privacy/privacy_scanner.h"

namespace {

using Clock = std::chrono::steady_clock;

const std::vector<std::string> kWords = {
    "the", "model", "should", "explain", "how", "routing", "works", "when", "a", "request", "arrives", "at",
    "gateway", "and", "which", "provider", "answers", "it", "best", "given", "privacy", "rules", "cost", "of",
    "every", "token", "well-known", "latency", "budget", "team", "summary", "paragraph", "Anna", "John",
    "April", "January", "Apple", "Java", "about", "after", "before", "quickly", "carefully", "review", "draft",
    "document", "meeting", "notes", "customer", "support", "question", "answer", "context", "window", "is",
    "are", "was", "were", "for", "with", "from", "into", "over", "under", "between", "during", "without"};

std::string clean_prose(size_t bytes, std::mt19937& rng) {
  std::string text;
  bool sentence_start = true;
  while (text.size() < bytes) {
    std::string word = kWords[rng() % kWords.size()];
    if (sentence_start) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    text += word;
    const unsigned r = rng() % 16;
    sentence_start = r == 0;
    text += r == 0 ? ". " : r == 1 ? ", " : r == 2 ? ": " : " ";
  }
  text.resize(bytes);
  return text;
}

const std::vector<std::string> kPii = {
    "elena_smith36@example.com", "+49 30 2527375", "4398 2597 9190 7482", "DE89 3704 0044 0532 0130 00",
    "SSN 210-62-9999", "52.112.200.119", "2001:db8:422e:fb93:2f8c::daba", "ghp_U3g7MD5PUN1vu35mCdaMxE3vPIDViRTA1pbE",
    "AKIA6BKZXHSNPMXTQKE5", "DOB 10.05.1966", "MRN 88328247", "(345) 810 7503", "sk_live_d7GxGgcvqTV78PqQr7BXHCCD",
    "api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0", "order ORD-2020-782952", "v0.12.1", "2024-08-03"};

// Prose with a PII item (or a hard negative) every ~80 bytes.
std::string pii_dense(size_t bytes, std::mt19937& rng) {
  std::string text;
  while (text.size() < bytes) {
    text += clean_prose(40 + rng() % 80, rng);
    text += " " + kPii[rng() % kPii.size()] + " ";
  }
  text.resize(bytes);
  return text;
}

struct Result {
  double mb_per_s, p50_us, p99_us;
  size_t findings;
};

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

Result measure(const sb::policies::PrivacyScanner& scanner, const std::string& text, double seconds) {
  std::vector<double> micros;
  size_t findings = 0;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  for (int warmup = 0; warmup < 10; ++warmup) findings = scanner.scan(text).size();
  const double cpu_start = thread_cpu_seconds();
  while (Clock::now() < deadline || micros.size() < 50) {
    const auto start = Clock::now();
    findings = scanner.scan(text).size();
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  const double cpu = thread_cpu_seconds() - cpu_start;
  std::sort(micros.begin(), micros.end());
  const auto percentile = [&](double p) { return micros[std::min(micros.size() - 1, size_t(p * micros.size()))]; };
  return {double(text.size()) * double(micros.size()) / cpu / 1e6, percentile(0.50), percentile(0.99), findings};
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 0.3;
  const std::string only = argc > 2 ? argv[2] : "";
  sb::config::PrivacyConfig custom;
  custom.custom.push_back({"PROJECT_CODENAME", R"(\b(?:BLUEJAY|NIGHTOWL)\b)", {}});
  custom.custom.push_back({"CLIENT", "", {"Acme Corp", "Globex", "Initech"}});
  const sb::policies::PrivacyScanner builtin{sb::config::PrivacyConfig{}}, with_custom{custom};

  std::printf("%-10s %-8s %-9s %10s %10s %10s %9s\n", "text", "size", "detectors", "MB/s", "p50_us", "p99_us",
              "findings");
  for (const char* kind : {"clean", "pii-dense"}) {
    if (!only.empty() && only != kind) continue;
    for (size_t kb : {1, 4, 16, 64}) {
      std::mt19937 rng(42);
      const std::string text = std::string(kind) == "clean" ? clean_prose(kb * 1024, rng) : pii_dense(kb * 1024, rng);
      for (const auto* scanner : {&builtin, &with_custom}) {
        const Result r = measure(*scanner, text, seconds);
        std::printf("%-10s %5zuKB  %-9s %10.0f %10.2f %10.2f %9zu\n", kind, kb, scanner == &builtin ? "built-in" : "+custom",
                    r.mb_per_s, r.p50_us, r.p99_us, r.findings);
      }
    }
  }
  return 0;
}
