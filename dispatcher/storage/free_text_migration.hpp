// The keyed step of migration 7: free text operators wrote that earlier versions stored in clear
// (confirmation summaries, NO reasons, the alert words members read) is encrypted like notes are.
#pragma once

#include <pqxx/transaction>

#include "dispatcher/storage/crypto.hpp"

namespace centinela::storage {

// Encrypts alerts.summary into summary_enc and the detail of confirmations (also voided ones) and
// rejections into report_actions.detail_enc, blanking the clear columns. Throws MissingDataKey
// when there is something to encrypt and `cipher` is null.
void encrypt_free_text(pqxx::work& tx, const DataCipher* cipher);

}  // namespace centinela::storage
