package io.crewjvm.channel;

import io.crewjvm.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Channel defaults: read when an attempt starts (the timeout) and when one fails (the retry policy), so a change
 * applies to the channel's tasks already queued.
 */
@ApplicationScoped
public class ChannelService {

    private final ChannelRepository channels;

    ChannelService(ChannelRepository channels) {
        this.channels = channels;
    }

    public String settings(String channel) {
        return Transactions.autocommitRetrying(() -> channels.get(channel));
    }

    public String put(String channel, ChannelSettings settings) {
        return Transactions.autocommitRetrying(() -> channels.put(channel, settings));
    }
}
