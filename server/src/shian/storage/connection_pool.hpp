// ConnectionPool: hands out Connections of one Database to request threads and takes them back.
// A lease returns its connection on destruction; a connection that is not Healthy() (a
// transaction left open, or its last use failed with kUnavailable) is closed instead of reused,
// which also rolls back whatever the transaction had done. Thread-safe.
//
// At most max_open connections are open at once (0: no limit): a burst of requests beyond it
// waits for a connection to come back rather than opening more (several `shian serve`
// processes must stay under PostgreSQL's max_connections), and after max_wait gets
// kUnavailable (503). A thread must not hold two leases at once: with a limit, threads that
// each hold one and wait for another would wait for each other until max_wait.
#pragma once

#include <chrono>
#include <condition_variable>
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

    ConnectionPool(std::unique_ptr<Database> db, size_t max_idle, size_t max_open = 0,
                   std::chrono::milliseconds max_wait = std::chrono::seconds(15))
        : db_(std::move(db)), max_idle_(max_idle), max_open_(max_open), max_wait_(max_wait) {}

    Result<Lease> Acquire() {
        {
            std::unique_lock lock(mu_);
            auto available = [&] { return !idle_.empty() || max_open_ == 0 || open_ < max_open_; };
            if (!available() && !returned_.wait_for(lock, max_wait_, available)) {
                return Error{ErrorCode::kUnavailable, "数据库连接繁忙，请稍后重试", ""};
            }
            if (!idle_.empty()) {
                auto conn = std::move(idle_.back());
                idle_.pop_back();
                return Lease(this, std::move(conn));
            }
            ++open_;  // counted before connecting, so the limit holds while we connect
        }
        auto conn = db_->Connect();
        if (!conn.ok()) {
            Closed();
            return conn.error();
        }
        return Lease(this, std::move(conn).value());
    }

    Database& database() { return *db_; }
    // Connections waiting to be reused.
    size_t IdleCount() {
        std::lock_guard lock(mu_);
        return idle_.size();
    }
    // Connections open: leased and idle.
    size_t OpenCount() {
        std::lock_guard lock(mu_);
        return open_;
    }
    Dialect dialect() const { return db_->dialect(); }

private:
    void Return(std::unique_ptr<Connection> conn) {
        if (conn->Healthy()) {
            std::lock_guard lock(mu_);
            if (idle_.size() < max_idle_) {
                idle_.push_back(std::move(conn));
                returned_.notify_one();
                return;
            }
        }
        conn.reset();  // closed outside the lock
        Closed();
    }
    void Closed() {
        {
            std::lock_guard lock(mu_);
            --open_;
        }
        returned_.notify_one();
    }

    std::unique_ptr<Database> db_;
    const size_t max_idle_;
    const size_t max_open_;
    const std::chrono::milliseconds max_wait_;
    std::mutex mu_;
    std::condition_variable returned_;
    size_t open_ = 0;  // leased + idle
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace shian::storage
