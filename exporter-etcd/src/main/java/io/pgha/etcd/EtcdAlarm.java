package io.pgha.etcd;

/** An active etcd alarm ({@code nospace}, {@code corrupt}) raised on a member. */
public record EtcdAlarm(long memberId, String alarm) {}
