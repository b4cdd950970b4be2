package com.meridianreview.core;

import com.meridianreview.emulators.Emulators;
import com.meridianreview.emulators.EmulatorsExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@ExtendWith(EmulatorsExtension.class)
class ContentStoreTest extends ContentStoreContract {

    private final Emulators emulators;

    ContentStoreTest(Emulators emulators) {
        this.emulators = emulators;
    }

    @Override
    DynamoDbClient client(RequestCounter counter) {
        return DynamoDbFixtures.client(emulators, counter);
    }
}
