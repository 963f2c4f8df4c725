// Bad input of every kind gets a clear, specific error: the pure half of the HTTP API.
#include <gtest/gtest.h>

#include "dispatcher/api/request_parsing.hpp"
#include "dispatcher/api/router.hpp"
#include "tests/support/test_config.hpp"

namespace centinela::api {
namespace {

class ApiParsing : public ::testing::Test {
 protected:
  config::Config cfg_ = testing::test_config();
  RegionTree regions_{cfg_.regions};
  ApiError report_error(std::string_view body) {
    auto r = parse_new_report(body, regions_);
    if (auto* e = std::get_if<ApiError>(&r)) return *e;
    ADD_FAILURE() << "accepted: " << body;
    return {};
  }
};

TEST_F(ApiParsing, NewReportAcceptsTextRegionZipAndPhone) {
  auto r = parse_new_report(R"({"text": "vans", "zip": "90001", "contact_phone": "(213) 555-0123"})", regions_);
  ASSERT_TRUE(std::holds_alternative<NewReportRequest>(r));
  const auto& report = std::get<NewReportRequest>(r);
  EXPECT_EQ(report.region_id, "la-south");
  ASSERT_TRUE(report.contact);
  EXPECT_EQ(report.contact->e164, "+12135550123");
}

TEST_F(ApiParsing, NewReportErrors) {
  EXPECT_EQ(report_error("{").status, 400);
  EXPECT_EQ(report_error("[1]").code, "malformed_json");
  EXPECT_EQ(report_error(R"({"text": ""})").code, "text_required");
  EXPECT_EQ(report_error(R"({"text": 5})").status, 422);
  EXPECT_EQ(report_error(R"({"text": "x", "region": "atlantis"})").code, "unknown_region");
  EXPECT_EQ(report_error(R"({"text": "x", "zip": "10001"})").code, "unknown_zip");
  EXPECT_EQ(report_error(R"({"text": "x", "contact_phone": "whatsapp"})").code, "invalid_phone");
  EXPECT_EQ(report_error(R"({"text": "x", "contact_phone": "+1213555012"})").code, "invalid_phone");
  EXPECT_EQ(report_error(R"({"text": "x", "colour": "red"})").code, "unknown_field");
  EXPECT_EQ(report_error(R"({"text": ")" + std::string(1601, 'a') + R"("})").code, "text_too_long");
}

TEST_F(ApiParsing, AContactNumberFollowsTheSameRuleAsAWebhooksSender) {
  const auto r = parse_new_report(R"({"text": "x", "contact_phone": "+15551234567"})", regions_);
  ASSERT_TRUE(std::holds_alternative<NewReportRequest>(r)) << "a JOIN from this number is accepted too";
  EXPECT_EQ(std::get<NewReportRequest>(r).contact->e164, "+15551234567");
}

TEST_F(ApiParsing, DecisionBodyIsOptional) {
  auto d = parse_decision("", regions_);
  ASSERT_TRUE(std::holds_alternative<DecisionRequest>(d));
  d = parse_decision(R"({"summary": "vans", "region": "la-east"})", regions_);
  ASSERT_TRUE(std::holds_alternative<DecisionRequest>(d));
  EXPECT_EQ(std::get<DecisionRequest>(d).region_id, "la-east");
  d = parse_decision(R"({"region": "atlantis"})", regions_);
  ASSERT_TRUE(std::holds_alternative<ApiError>(d));
  EXPECT_EQ(std::get<ApiError>(d).status, 422);
}

TEST(Router, MatchesPathsWithParameters) {
  PathParams p;
  EXPECT_TRUE(match_path("/api/v1/reports/{id}/confirm", "/api/v1/reports/K7Q3M/confirm", p));
  EXPECT_EQ(p.at("id"), "K7Q3M");
  EXPECT_FALSE(match_path("/api/v1/reports/{id}/confirm", "/api/v1/reports//confirm", p));
  EXPECT_FALSE(match_path("/api/v1/reports/{id}/confirm", "/api/v1/reports/K7Q3M/confirm/x", p));
  EXPECT_FALSE(match_path("/api/v1/reports", "/api/v1/report", p));
  EXPECT_TRUE(match_path("/healthz", "/healthz", p));
}

TEST(BearerToken, OnlyTheBearerScheme) {
  WebRequest req;
  req.headers["authorization"] = "Bearer abc";
  EXPECT_EQ(bearer_token(req), "abc");
  req.headers["authorization"] = "Basic abc";
  EXPECT_EQ(bearer_token(req), "");
  req.target = "/api/v1/reports?status=pending&x=1";
  EXPECT_EQ(query_param(req, "status"), "pending");
  EXPECT_FALSE(query_param(req, "missing"));
}

}  // namespace
}  // namespace centinela::api
