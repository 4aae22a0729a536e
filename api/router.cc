#include "api/router.h"

namespace strata::api {

void Router::Register(std::string target, OperationHandler handler) {
  handlers_[std::move(target)] = std::move(handler);
}

const OperationHandler* Router::Find(std::string_view target) const {
  auto it = handlers_.find(target);
  return it == handlers_.end() ? nullptr : &it->second;
}

}  // namespace strata::api
