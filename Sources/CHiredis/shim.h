// hiredis's RESP reader (redisReader) and command formatter (redisFormatCommandArgv), used by
// FlowrunRedis under a SwiftNIO connection.
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
