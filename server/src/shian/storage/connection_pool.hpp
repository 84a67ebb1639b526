// ConnectionPool: hands out Connections of one Database to request threads and takes them back.
// A lease returns its connection on destruction; a connection that is not Healthy() (a
// transaction left open, or its last use failed with kUnavailable) is closed instead of reused,
// which also rolls back whatever the transaction had done. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "shian/storage/connection.hpp"

namespace shian::storage {

class ConnectionPool {
public:
    class Lease {
    public:
        Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
            : pool_(pool), conn_(std::move(conn)) {}
        Lease(Lease&&) = default;
        Lease& operator=(Lease&& other) noexcept {
            if (this != &other) {
                Release();
                pool_ = other.pool_;
                conn_ = std::move(other.conn_);
            }
            return *this;
        }
        ~Lease() { Release(); }
        Connection& operator*() { return *conn_; }
        Connection* operator->() { return conn_.get(); }

    private:
        void Release() {
            if (pool_ && conn_) pool_->Return(std::move(conn_));
        }

        ConnectionPool* pool_;
        std::unique_ptr<Connection> conn_;
    };

    ConnectionPool(std::unique_ptr<Database> db, size_t max_idle)
        : db_(std::move(db)), max_idle_(max_idle) {}

    Result<Lease> Acquire() {
        {
            std::lock_guard lock(mu_);
            if (!idle_.empty()) {
                auto conn = std::move(idle_.back());
                idle_.pop_back();
                return Lease(this, std::move(conn));
            }
        }
        SHIAN_ASSIGN_OR_RETURN(auto conn, db_->Connect());
        return Lease(this, std::move(conn));
    }

    Database& database() { return *db_; }
    // Connections waiting to be reused.
    size_t IdleCount() {
        std::lock_guard lock(mu_);
        return idle_.size();
    }
    Dialect dialect() const { return db_->dialect(); }

private:
    void Return(std::unique_ptr<Connection> conn) {
        if (!conn->Healthy()) return;  // closed here, outside the lock
        std::lock_guard lock(mu_);
        if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
    }

    std::unique_ptr<Database> db_;
    size_t max_idle_;
    std::mutex mu_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace shian::storage
