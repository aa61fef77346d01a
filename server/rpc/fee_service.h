// FeeService: the gRPC face of app::FeeService, which quotes
// information-processing fees. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_FEE_SERVICE_H_
#define GONGKAI_SERVER_RPC_FEE_SERVICE_H_

#include "app/environment.h"
#include "app/fee_service.h"
#include "gongkai/v1/fee_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class FeeServiceImpl final : public v1::FeeService::Service {
 public:
  explicit FeeServiceImpl(const Environment& env) : env_(env), fees_(env) {}

  grpc::Status QuoteFee(grpc::ServerContext* context,
                        const v1::QuoteFeeRequest* request,
                        v1::FeeQuote* response) override;

 private:
  Environment env_;
  app::FeeService fees_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_FEE_SERVICE_H_
