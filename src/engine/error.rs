//! Engine errors, named and numbered as Kafka's `Errors` enum; the table is data so the console
//! can print Kafka's exact exception classes and default messages.

use std::fmt;

/// The subset of `org.apache.kafka.common.protocol.Errors` the engine can raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    OffsetOutOfRange,
    UnknownTopicOrPartition,
    LeaderNotAvailable,
    NotLeaderOrFollower,
    RequestTimedOut,
    NetworkException,
    InvalidTopicException,
    RecordListTooLarge,
    NotEnoughReplicas,
    NotEnoughReplicasAfterAppend,
    KafkaStorageError,
    InvalidGroupId,
    InconsistentGroupProtocol,
    UnsupportedAssignor,
    InvalidSessionTimeout,
    TopicAlreadyExists,
    InvalidPartitions,
    InvalidReplicationFactor,
    InvalidReplicaAssignment,
    InvalidConfig,
    PolicyViolation,
    NonEmptyGroup,
    GroupIdNotFound,
    InvalidRecord,
    MessageTooLarge,
    PreferredLeaderNotAvailable,
    EligibleLeadersNotAvailable,
    InvalidRequest,
    BrokerIdNotRegistered,
    NotController,
    InvalidProducerEpoch,
    InvalidTxnState,
    InvalidTransactionTimeout,
    ConcurrentTransactions,
    ProducerFenced,
    TransactionalIdNotFound,
}

impl ErrorCode {
    /// (code, NAME, exception class, default message) exactly as in Kafka's `Errors.java`.
    pub fn row(self) -> (i16, &'static str, &'static str, &'static str) {
        use ErrorCode::*;
        match self {
            OffsetOutOfRange => (
                1,
                "OFFSET_OUT_OF_RANGE",
                "org.apache.kafka.common.errors.OffsetOutOfRangeException",
                "The requested offset is not within the range of offsets maintained by the server.",
            ),
            UnknownTopicOrPartition => (
                3,
                "UNKNOWN_TOPIC_OR_PARTITION",
                "org.apache.kafka.common.errors.UnknownTopicOrPartitionException",
                "This server does not host this topic-partition.",
            ),
            LeaderNotAvailable => (
                5,
                "LEADER_NOT_AVAILABLE",
                "org.apache.kafka.common.errors.LeaderNotAvailableException",
                "There is no leader for this topic-partition as we are in the middle of a leadership election.",
            ),
            NotLeaderOrFollower => (
                6,
                "NOT_LEADER_OR_FOLLOWER",
                "org.apache.kafka.common.errors.NotLeaderOrFollowerException",
                "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.",
            ),
            RequestTimedOut => (
                7,
                "REQUEST_TIMED_OUT",
                "org.apache.kafka.common.errors.TimeoutException",
                "The request timed out.",
            ),
            NetworkException => (
                13,
                "NETWORK_EXCEPTION",
                "org.apache.kafka.common.errors.NetworkException",
                "The server disconnected before a response was received.",
            ),
            MessageTooLarge => (
                10,
                "MESSAGE_TOO_LARGE",
                "org.apache.kafka.common.errors.RecordTooLargeException",
                "The request included a message larger than the max message size the server will accept.",
            ),
            InvalidTopicException => (
                17,
                "INVALID_TOPIC_EXCEPTION",
                "org.apache.kafka.common.errors.InvalidTopicException",
                "The request attempted to perform an operation on an invalid topic.",
            ),
            RecordListTooLarge => (
                18,
                "RECORD_LIST_TOO_LARGE",
                "org.apache.kafka.common.errors.RecordBatchTooLargeException",
                "The request included message batch larger than the configured segment size on the server.",
            ),
            NotEnoughReplicas => (
                19,
                "NOT_ENOUGH_REPLICAS",
                "org.apache.kafka.common.errors.NotEnoughReplicasException",
                "Messages are rejected since there are fewer in-sync replicas than required.",
            ),
            NotEnoughReplicasAfterAppend => (
                20,
                "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
                "org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException",
                "Messages are written to the log, but to fewer in-sync replicas than required.",
            ),
            KafkaStorageError => (
                56,
                "KAFKA_STORAGE_ERROR",
                "org.apache.kafka.common.errors.KafkaStorageException",
                "Disk error when trying to access log file on the disk.",
            ),
            InvalidGroupId => (
                24,
                "INVALID_GROUP_ID",
                "org.apache.kafka.common.errors.InvalidGroupIdException",
                "The configured groupId is invalid.",
            ),
            InconsistentGroupProtocol => (
                23,
                "INCONSISTENT_GROUP_PROTOCOL",
                "org.apache.kafka.common.errors.InconsistentGroupProtocolException",
                "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list.",
            ),
            UnsupportedAssignor => (
                112,
                "UNSUPPORTED_ASSIGNOR",
                "org.apache.kafka.common.errors.UnsupportedAssignorException",
                "The assignor or its version range is not supported by the consumer group.",
            ),
            InvalidSessionTimeout => (
                26,
                "INVALID_SESSION_TIMEOUT",
                "org.apache.kafka.common.errors.InvalidSessionTimeoutException",
                "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).",
            ),
            TopicAlreadyExists => (
                36,
                "TOPIC_ALREADY_EXISTS",
                "org.apache.kafka.common.errors.TopicExistsException",
                "Topic with this name already exists.",
            ),
            InvalidPartitions => (
                37,
                "INVALID_PARTITIONS",
                "org.apache.kafka.common.errors.InvalidPartitionsException",
                "Number of partitions is below 1.",
            ),
            InvalidReplicationFactor => (
                38,
                "INVALID_REPLICATION_FACTOR",
                "org.apache.kafka.common.errors.InvalidReplicationFactorException",
                "Replication factor is below 1 or larger than the number of available brokers.",
            ),
            InvalidReplicaAssignment => (
                39,
                "INVALID_REPLICA_ASSIGNMENT",
                "org.apache.kafka.common.errors.InvalidReplicaAssignmentException",
                "Replica assignment is invalid.",
            ),
            InvalidConfig => (
                40,
                "INVALID_CONFIG",
                "org.apache.kafka.common.errors.InvalidConfigurationException",
                "Configuration is invalid.",
            ),
            PolicyViolation => (
                44,
                "POLICY_VIOLATION",
                "org.apache.kafka.common.errors.PolicyViolationException",
                "Request parameters do not satisfy the configured policy.",
            ),
            NonEmptyGroup => (
                68,
                "NON_EMPTY_GROUP",
                "org.apache.kafka.common.errors.GroupNotEmptyException",
                "The group is not empty.",
            ),
            GroupIdNotFound => (
                69,
                "GROUP_ID_NOT_FOUND",
                "org.apache.kafka.common.errors.GroupIdNotFoundException",
                "The group id does not exist.",
            ),
            PreferredLeaderNotAvailable => (
                80,
                "PREFERRED_LEADER_NOT_AVAILABLE",
                "org.apache.kafka.common.errors.PreferredLeaderNotAvailableException",
                "The preferred leader was not available.",
            ),
            EligibleLeadersNotAvailable => (
                83,
                "ELIGIBLE_LEADERS_NOT_AVAILABLE",
                "org.apache.kafka.common.errors.EligibleLeadersNotAvailableException",
                "Eligible topic partition leaders are not available.",
            ),
            NotController => (
                41,
                "NOT_CONTROLLER",
                "org.apache.kafka.common.errors.NotControllerException",
                "This is not the correct controller for this cluster.",
            ),
            InvalidProducerEpoch => (
                47,
                "INVALID_PRODUCER_EPOCH",
                "org.apache.kafka.common.errors.InvalidProducerEpochException",
                "Producer attempted to produce with an old epoch.",
            ),
            InvalidTxnState => (
                48,
                "INVALID_TXN_STATE",
                "org.apache.kafka.common.errors.InvalidTxnStateException",
                "The producer attempted a transactional operation in an invalid state.",
            ),
            InvalidTransactionTimeout => (
                50,
                "INVALID_TRANSACTION_TIMEOUT",
                "org.apache.kafka.common.errors.InvalidTxnTimeoutException",
                "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms).",
            ),
            ConcurrentTransactions => (
                51,
                "CONCURRENT_TRANSACTIONS",
                "org.apache.kafka.common.errors.ConcurrentTransactionsException",
                "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.",
            ),
            ProducerFenced => (
                90,
                "PRODUCER_FENCED",
                "org.apache.kafka.common.errors.ProducerFencedException",
                "There is a newer producer with the same transactionalId which fences the current one.",
            ),
            TransactionalIdNotFound => (
                105,
                "TRANSACTIONAL_ID_NOT_FOUND",
                "org.apache.kafka.common.errors.TransactionalIdNotFoundException",
                "The transactionalId could not be found.",
            ),
            InvalidRequest => (
                42,
                "INVALID_REQUEST",
                "org.apache.kafka.common.errors.InvalidRequestException",
                "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details.",
            ),
            BrokerIdNotRegistered => (
                102,
                "BROKER_ID_NOT_REGISTERED",
                "org.apache.kafka.common.errors.BrokerIdNotRegisteredException",
                "The given broker ID was not registered.",
            ),
            InvalidRecord => (
                87,
                "INVALID_RECORD",
                "org.apache.kafka.common.InvalidRecordException",
                "This record has failed the validation on broker and hence will be rejected.",
            ),
        }
    }

    pub fn code(self) -> i16 {
        self.row().0
    }
    pub fn name(self) -> &'static str {
        self.row().1
    }
    pub fn exception_class(self) -> &'static str {
        self.row().2
    }
    pub fn default_message(self) -> &'static str {
        self.row().3
    }
}

/// An error as the client sees it: the code plus the broker's or controller's message, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaError {
    pub code: ErrorCode,
    pub message: Option<String>,
}

impl KafkaError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        KafkaError {
            code,
            message: Some(message.into()),
        }
    }

    pub fn bare(code: ErrorCode) -> Self {
        KafkaError {
            code,
            message: None,
        }
    }

    /// The message the client shows: the server's text, else the code's default.
    pub fn message(&self) -> &str {
        self.message
            .as_deref()
            .unwrap_or_else(|| self.code.default_message())
    }
}

/// Formats as Java's `Throwable.toString()`: `class: message`.
impl fmt::Display for KafkaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.exception_class(), self.message())
    }
}

impl std::error::Error for KafkaError {}
